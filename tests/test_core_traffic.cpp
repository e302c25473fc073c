// Traffic over the core's streams: beats counted from the streams golden/streams builds,
// widths read from the ports of the generated fwmac_top; compulsory bytes by hand.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/workload.hpp"
#include "generator/common/config.hpp"
#include "generator/common/top_ports.hpp"
#include "generator/rtl/rtl_emit.hpp"
#include "golden/array_model.hpp"
#include "golden/core_traffic.hpp"
#include "golden/schedule.hpp"
#include "golden/streams.hpp"
#include "array_shapes.hpp"

namespace {

std::map<std::string, int> port_widths(const fwmac::ArrayShape& shape) {
    fwmac::GeneratorConfig config;
    config.shape = shape;
    std::map<std::string, int> widths;
    for (const fwmac::PortDeclaration& port : fwmac::top_ports(fwmac::emit_top(config))) widths[port.name] = port.width;
    return widths;
}

}  // namespace

TEST_CASE("core_traffic: beats of build_streams times the widths of fwmac_top's ports", "[traffic]") {
    using fwmac::testing::array_shape;
    std::vector<fwmac::ArrayShape> shapes{
        array_shape(4, 3, 4, 8, 8, 256),
        array_shape(3, 5, 7, 6, 5, 300, 1, fwmac::Architecture::bit_serial, 2, 4, false),
        array_shape(4, 4, 4, 8, 8, 256, 0, fwmac::Architecture::bit_parallel, 1, 2, false),
        array_shape(2, 2, 8, 4, 4, 64)};
    shapes.push_back(array_shape(4, 2, 4, 8, 8, 256));
    shapes.back().row_slots = 2;
    for (std::size_t s = 0; s < shapes.size(); ++s) {
        const fwmac::ArrayShape& shape = shapes[s];
        const std::map<std::string, int> ports = port_widths(shape);
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            CAPTURE(s, seed);
            const fwmac::GemmLayer layer = fwmac::random_layer(shape, 0x7aff1c00 + s * 100 + seed, {9, 40, 11});
            const fwmac::Schedule schedule = fwmac::make_schedule(layer.weight_bits, layer.depth, layer.pixels, shape);
            const fwmac::ArrayStreams streams =
                fwmac::build_streams(layer, schedule, fwmac::run_array_model(layer, schedule));
            const fwmac::CoreTraffic traffic = fwmac::core_traffic(schedule);

            CHECK(traffic.commands.beats == streams.commands.size());
            CHECK(traffic.weights.beats == streams.weight_planes.size());
            CHECK(traffic.activations.beats == streams.activations.size());
            CHECK(traffic.params.beats == streams.params.size());
            CHECK(traffic.outputs.beats == streams.outputs.size());

            const int spans = shape.row_slots == 2 ? ports.at("cmd_spans_i") : 0;
            CHECK(traffic.commands.width_bits == ports.at("cmd_chunks_i") + ports.at("cmd_planes_i") + spans);
            CHECK(traffic.weights.width_bits == ports.at("w_plane_i"));
            CHECK(traffic.activations.width_bits == ports.at("a_data_i"));
            const int raw_port = ports.count("p_raw_i") ? ports.at("p_raw_i") : 0;  // only with raw_outputs
            CHECK(traffic.params.width_bits == ports.at("p_data_i") + ports.at("p_relu_i") + raw_port);
            CHECK(traffic.outputs.width_bits == ports.at("y_data_o"));
            if (!streams.weight_planes.empty()) {
                CHECK(static_cast<int>(streams.weight_planes.front().width()) == traffic.weights.width_bits);
                CHECK(static_cast<int>(streams.activations.front().width()) == traffic.activations.width_bits);
            }
        }
    }
}

TEST_CASE("core_traffic: a hand-counted layer", "[traffic]") {
    // 2x2x4 array, A = 4, Bmax = 4, raw outputs, one requantizer per column. Three filters
    // of 4, 2 and 2 bits, K = 6 (2 chunks), P = 3 (2 pixel tiles). Sorted by bits the
    // groups are {4-bit, 2-bit} (b_g = 4) and {2-bit} (b_g = 2): 4 tiles.
    fwmac::ArrayShape shape = fwmac::testing::array_shape(2, 2, 4, 4, 4, 64);
    const fwmac::Schedule schedule = fwmac::make_schedule({4, 2, 2}, 6, 3, shape);
    REQUIRE(schedule.tiles.size() == 4);
    const fwmac::CoreTraffic traffic = fwmac::core_traffic(schedule);
    CHECK(traffic.commands.beats == 4);
    CHECK(traffic.weights.beats == 2 * 2 * 4 + 2 * 2 * 2);  // tiles x chunks x b_g = 24
    CHECK(traffic.weights.width_bits == 2 * 4);             // R x L bit-plane
    CHECK(traffic.weights.bytes() == 24);
    CHECK(traffic.activations.beats == 4 * 2);
    CHECK(traffic.activations.width_bits == 2 * 4 * 4);     // C x L x A = 32 bits: 4 bytes a beat
    CHECK(traffic.activations.bytes() == 32);
    CHECK(traffic.params.beats == 4 * 2);                   // R rows a tile
    CHECK(traffic.outputs.beats == 4 * 2);
}

TEST_CASE("compulsory_bytes: weights at their bits, input and output once", "[traffic]") {
    // 3 filters of 4, 2 and 2 bits over K = 6: 48 bits = 6 bytes; 10 input values of
    // A = 4 bits: 5 bytes; 9 outputs: 36 bits -> 5 bytes (rounded up).
    CHECK(fwmac::compulsory_bytes({4, 2, 2}, 6, 10, 9, 4) == 6 + 5 + 5);
    CHECK(fwmac::compulsory_bytes({8}, 1, 1, 1, 8) == 3);
}
