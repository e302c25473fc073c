// libFuzzer harness for the config parser: any byte string must either parse into a
// config that generates a design, or be rejected with fwmac::ConfigError (malformed
// JSON included). Any other exception, crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "compiler/json_file.hpp"
#include "generator/common/config.hpp"
#include "generator/design/design.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    nlohmann::json json;
    try {
        json = fwmac::parse_json_text(text, "config file 'fuzz'", "config");
    } catch (const fwmac::JsonFileError&) {
        return 0;  // malformed JSON, a repeated key, an overflowing number: reported before parse_config
    }
    try {
        const fwmac::GeneratorConfig config = fwmac::parse_config(json);
        const fwmac::ArrayShape& shape = config.shape;
        // Generating is linear in R*C; keep the fuzzer fast on the largest arrays.
        if (shape.rows * shape.cols <= 64) (void)fwmac::generate_design(config);
    } catch (const fwmac::ConfigError& error) {
        if (std::string(error.what()).find("config") == std::string::npos) {
            std::cerr << "error message does not name a config field: " << error.what() << "\n";
            std::abort();
        }
    }
    return 0;
}
