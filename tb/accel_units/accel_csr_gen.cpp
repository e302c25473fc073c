// fwmac_accel_csr_gen CONFIG.json BUS_BITS ACT_BUFFER_WORDS OUT.v: writes the accelerator
// map's CSR module as fwmac_csr (the name rtl_templates/accel/fwmac_accel.v instantiates)
// for the end-to-end testbench of tb/accel_units.
#include <fstream>
#include <iostream>
#include <string>

#include "generator/common/config.hpp"
#include "generator/system/accel_regmap.hpp"
#include "generator/system/regmap_emit.hpp"

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: fwmac_accel_csr_gen CONFIG.json BUS_BITS ACT_BUFFER_WORDS OUT.v\n";
        return 2;
    }
    try {
        const fwmac::GeneratorConfig config = fwmac::load_config_file(argv[1]);
        fwmac::AccelSystem system;
        system.bus_bits = std::stoi(argv[2]);
        system.act_buffer_words = static_cast<std::uint32_t>(std::stoul(argv[3]));
        std::ofstream out(argv[4], std::ios::binary);
        out << fwmac::emit_csr_rtl(fwmac::accel_regmap(config, system), "fwmac_csr");
        if (!out) throw std::runtime_error(std::string("cannot write ") + argv[4]);
    } catch (const std::exception& error) {
        std::cerr << "fwmac_accel_csr_gen: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
