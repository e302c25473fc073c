// The bit-parallel baseline architecture: derived widths, schedule and cycle model,
// whole-weight stream beats, array values, the performance helper and the generated
// files (config.architecture parsing: test_config.cpp). Expected values are worked
// out by hand in the comments.
#include <catch2/catch.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "generator/common/config.hpp"
#include "generator/design/design.hpp"
#include "golden/array_model.hpp"
#include "golden/performance.hpp"
#include "golden/schedule.hpp"
#include "golden/streams.hpp"
#include "compiler/workload.hpp"
#include "array_shapes.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

fwmac::ArrayShape parallel_shape(int rows, int cols, int lanes, int act_bits = 8, int max_weight_bits = 8,
                                 int tree_register_every = 0) {
    return fwmac::testing::array_shape(rows, cols, lanes, act_bits, max_weight_bits, 1024, tree_register_every,
                                       fwmac::Architecture::bit_parallel);
}

}  // namespace

TEST_CASE("bit-parallel derived widths, hand-derived", "[bit_parallel][shape]") {
    SECTION("R=4 L=4 A=8 B=8") {
        // product: -128*255 = -32640 .. 127*255 = 32385 -> 16 bits signed;
        // 4 lanes: -130560 .. 129540, beyond +-2^16 = 65536, within 2^17 -> 18 bits.
        const fwmac::ArrayShape shape = parallel_shape(4, 4, 4);
        CHECK(fwmac::lane_term_range(shape).min_value == -32640);
        CHECK(fwmac::lane_term_range(shape).max_value == 32385);
        CHECK(fwmac::lane_term_width(shape) == 16);
        CHECK(fwmac::dot_width(shape) == 18);
        CHECK(fwmac::weight_lane_bits(shape) == 8);
        CHECK(fwmac::weight_beat_width(shape) == 4 * 4 * 8);
        CHECK(fwmac::plane_count_width(shape) == 1);
        CHECK(fwmac::partial_width(shape) == 0);
        // The accumulator and requant words do not depend on the architecture.
        fwmac::ArrayShape serial = shape;
        serial.architecture = fwmac::Architecture::bit_serial;
        CHECK(fwmac::acc_width(shape) == fwmac::acc_width(serial));
        CHECK(fwmac::param_width(shape) == fwmac::param_width(serial));
        CHECK(fwmac::weight_beat_width(serial) == 16);
        CHECK(fwmac::plane_count_width(serial) == 4);  // holds Bmax = 8
    }
    SECTION("L=7 A=6 B=5") {
        // product: -16*63 = -1008 .. 15*63 = 945 -> 11 bits; 7 lanes: -7056 .. 6615 -> 14 bits.
        const fwmac::ArrayShape shape = parallel_shape(3, 5, 7, 6, 5);
        CHECK(fwmac::lane_term_width(shape) == 11);
        CHECK(fwmac::dot_width(shape) == 14);
        CHECK(fwmac::weight_beat_width(shape) == 3 * 7 * 5);
    }
    SECTION("A=1 B=1: products are 0 or -1") {
        const fwmac::ArrayShape one_lane = parallel_shape(1, 1, 1, 1, 1);
        CHECK(fwmac::lane_term_range(one_lane).min_value == -1);
        CHECK(fwmac::lane_term_range(one_lane).max_value == 0);
        CHECK(fwmac::lane_term_width(one_lane) == 1);
        CHECK(fwmac::dot_width(one_lane) == 1);
        // 3 lanes: -3 .. 0 -> 3 bits.
        CHECK(fwmac::dot_width(parallel_shape(1, 1, 3, 1, 1)) == 3);
    }
    SECTION("signed_bits_for") {
        CHECK(fwmac::signed_bits_for(0, 0) == 1);
        CHECK(fwmac::signed_bits_for(-1, 0) == 1);
        CHECK(fwmac::signed_bits_for(0, 1) == 2);
        CHECK(fwmac::signed_bits_for(-128, 127) == 8);
        CHECK(fwmac::signed_bits_for(-129, 0) == 9);
        CHECK(fwmac::signed_bits_for(0, 128) == 9);
    }
}

TEST_CASE("bit-parallel schedule and cycle model, hand-derived", "[bit_parallel][schedule][cycles]") {
    SECTION("R=2 C=2 L=4 K=9 P=5, bits {3,1,2,1,3}: layer order, planes 1") {
        // Groups in layer order: [0,1] [2,3] [4] (the last partial), every planes = 1.
        // chunks = ceil(9/4) = 3; 3 pixel tiles (2, 2, 1) per group -> 9 tiles of n = 3.
        // D = 1, R + 1 = 3 <= n: no stall.
        // total = (3 + 1) + 8 * 3 + (2 + 2) = 32; issue 27; fixed 1 + 2 + 2 = 5.
        // ideal = F*K*P / (R*C*L) = 5*9*5 / 16 = 14.0625.
        const std::vector<int> bits{3, 1, 2, 1, 3};
        for (fwmac::FilterOrder order : {fwmac::FilterOrder::by_bits, fwmac::FilterOrder::original}) {
            const fwmac::Schedule s = fwmac::make_schedule(bits, 9, 5, parallel_shape(2, 2, 4), order);
            CHECK(s.chunks == 3);
            REQUIRE(s.groups.size() == 3);
            CHECK(s.groups[0].filters == std::vector<int>{0, 1});
            CHECK(s.groups[1].filters == std::vector<int>{2, 3});
            CHECK(s.groups[2].filters == std::vector<int>{4});
            for (const fwmac::RowGroup& group : s.groups) CHECK(group.planes == 1);
            REQUIRE(s.tiles.size() == 9);
            for (std::size_t t = 0; t < s.tiles.size(); ++t) CHECK(fwmac::tile_issue_cycles(s, t) == 3);
            const fwmac::CycleReport r = fwmac::predict_cycles(s, bits);
            CHECK(r.total == 32);
            CHECK(r.issue == 27);
            CHECK(r.drain_stall == 0);
            CHECK(r.fixed_overhead == 5);
            CHECK(r.ideal_bound == Approx(14.0625));
        }
    }
    SECTION("short tiles stall and a pipelined tree: R=4 C=1 L=8 K=8 P=1, five filters") {
        // L = 8 -> 3 tree levels, a register after every level -> D = 1 + 3 = 4.
        // chunks = 1; groups [0..3] [4] -> tiles n = 1, 1.
        // total = (1 + 4) + max(1, 5) + (4 + 2) = 16; stall 5 - 1 = 4; fixed 4 + 4 + 2 = 10.
        const fwmac::ArrayShape shape = parallel_shape(4, 1, 8, 8, 8, 1);
        for (const std::vector<int>& bits : {std::vector<int>(5, 1), std::vector<int>(5, 8),
                                             std::vector<int>{8, 1, 3, 2, 7}}) {
            CAPTURE(bits);
            const fwmac::CycleReport r = fwmac::predict_cycles(fwmac::make_schedule(bits, 8, 1, shape), bits);
            CHECK(r.total == 16);
            CHECK(r.issue == 2);
            CHECK(r.drain_stall == 4);
            CHECK(r.fixed_overhead == 10);
            CHECK(r.ideal_bound == Approx(5.0 * 8 * 1 / (4 * 1 * 8)));
        }
        // The bit-serial array of the same size with all filters at 8 bits: n = 8, 8, and
        // D = 1 + 3 + 1 = 5 (the partial-sum stage before the commit):
        // total = (8 + 5) + max(8, 5) + 6 = 27.
        fwmac::ArrayShape serial = shape;
        serial.architecture = fwmac::Architecture::bit_serial;
        const std::vector<int> wide(5, 8);
        CHECK(fwmac::predict_cycles(fwmac::make_schedule(wide, 8, 1, serial), wide).total == 27);
    }
}

TEST_CASE("bit-parallel stream beats, hand-worked", "[bit_parallel][streams]") {
    // R=2 C=1 L=2 A=4 Bmax=4, K=3, P=1; raw output.
    // f0 (4 bits): w = [-8, 7, -1]; f1 (2 bits): w = [1, -2, 0]; x = [15, 3, 9].
    const fwmac::ArrayShape shape = parallel_shape(2, 1, 2, 4, 4);
    fwmac::GemmLayer layer;
    layer.filters = 2;
    layer.depth = 3;
    layer.pixels = 1;
    layer.weight_bits = {4, 2};
    layer.weights = {-8, 7, -1, 1, -2, 0};
    layer.activations = {15, 3, 9};
    layer.requant.assign(2, fwmac::RequantParams{0, 1, 0});
    layer.mode = fwmac::OutputMode{false, true};
    REQUIRE_NOTHROW(fwmac::validate_layer(layer, shape));

    const fwmac::Schedule schedule = fwmac::make_schedule(layer.weight_bits, 3, 1, shape);
    const fwmac::ArrayResult result = fwmac::run_array_model(layer, schedule);
    // acc f0 = -8*15 + 7*3 - 1*9 = -108; f1 = 15 - 6 + 0 = 9.
    CHECK(result.accumulators == std::vector<std::int64_t>{-108, 9});
    const fwmac::ArrayStreams streams = fwmac::build_streams(layer, schedule, result);

    // One tile of 2 chunks, planes 1.
    REQUIRE(streams.commands.size() == 1);
    CHECK(streams.commands[0].chunks == 2);
    CHECK(streams.commands[0].planes == 1);
    // Weight beats: one per chunk, R*L*Bmax = 16 bits, row r lane l at (r*2 + l)*4.
    // chunk 0 (k = 0, 1): f0 -8 -> 0x8, 7 -> 0x7; f1 1 -> 0x1, -2 -> 0xE: 0xE178.
    // chunk 1 (k = 2): f0 -1 -> 0xF, f1 0, padding lanes 0: 0x000F.
    REQUIRE(streams.weight_planes.size() == 2);
    CHECK(streams.weight_planes[0].width() == 16);
    CHECK(streams.weight_planes[0].field(0, 16) == 0xE178);
    CHECK(streams.weight_planes[1].field(0, 16) == 0x000F);
    // Activations as in the bit-serial array: chunk 0 {3, 15} -> 0x3F, chunk 1 {pad, 9} -> 0x09.
    REQUIRE(streams.activations.size() == 2);
    CHECK(streams.activations[0].field(0, 8) == 0x3F);
    CHECK(streams.activations[1].field(0, 8) == 0x09);
    // Outputs: row 0 = f0, row 1 = f1 (raw).
    REQUIRE(streams.outputs.size() == 2);
    CHECK(streams.outputs[0].values == std::vector<std::int64_t>{-108});
    CHECK(streams.outputs[1].values == std::vector<std::int64_t>{9});
    CHECK(streams.outputs[1].filter == 1);
}

TEST_CASE("bit-parallel random layers: values, beat counts and whole-weight packing", "[bit_parallel][property]") {
    const std::vector<std::pair<fwmac::ArrayShape, fwmac::LayerLimits>> cases{
        {parallel_shape(3, 5, 7, 6, 5, 1), {12, 60, 13}},
        {parallel_shape(1, 1, 1, 8, 8), {4, 10, 3}},
        {parallel_shape(4, 2, 3, 4, 16), {13, 40, 7}},
        {parallel_shape(2, 3, 16, 1, 1), {7, 64, 7}},
    };
    constexpr std::uint64_t kSeed = 0xb17'9a7a'11e1ULL;
    for (std::size_t c = 0; c < cases.size(); ++c) {
        const fwmac::ArrayShape& shape = cases[c].first;
        for (int i = 0; i < 20; ++i) {
            const std::uint64_t seed = kSeed + c * 100 + static_cast<std::uint64_t>(i);
            CAPTURE(c, seed);
            const fwmac::GemmLayer layer = fwmac::random_layer(shape, seed, cases[c].second);
            const fwmac::Schedule schedule = fwmac::make_schedule(layer.weight_bits, layer.depth, layer.pixels, shape);
            const fwmac::ArrayResult result = fwmac::run_array_model(layer, schedule);
            REQUIRE(result.accumulators == fwmac::direct_accumulators(layer));
            const fwmac::ArrayStreams streams = fwmac::build_streams(layer, schedule, result);
            REQUIRE(fwmac::collect_outputs(streams.outputs, layer.filters, layer.pixels) == result.outputs);
            REQUIRE(streams.weight_planes.size() == schedule.tiles.size() * static_cast<std::size_t>(schedule.chunks));
            REQUIRE(fwmac::predict_cycles(schedule, layer.weight_bits).issue ==
                    schedule.tiles.size() * static_cast<std::size_t>(schedule.chunks));
            std::size_t beat = 0;
            for (const fwmac::Tile& tile : schedule.tiles) {
                const fwmac::RowGroup& group = schedule.groups[static_cast<std::size_t>(tile.group)];
                for (int chunk = 0; chunk < schedule.chunks; ++chunk, ++beat) {
                    const fwmac::BitVector& bits = streams.weight_planes.at(beat);
                    REQUIRE(bits.width() == static_cast<std::size_t>(shape.rows * shape.lanes * shape.max_weight_bits));
                    for (int row = 0; row < shape.rows; ++row) {
                        for (int lane = 0; lane < shape.lanes; ++lane) {
                            const int k = chunk * shape.lanes + lane;
                            const bool real = row < static_cast<int>(group.filters.size()) && k < layer.depth;
                            const std::int64_t expected = real ? layer.weight(group.filters[row], k) : 0;
                            const auto offset = static_cast<std::size_t>((row * shape.lanes + lane) * shape.max_weight_bits);
                            CAPTURE(beat, row, lane);
                            REQUIRE(fwmac::sign_extend(bits.field(offset, shape.max_weight_bits),
                                                       shape.max_weight_bits) == expected);
                        }
                    }
                }
            }
        }
    }
}

TEST_CASE("layer_performance reports the bit-parallel baseline of the same array", "[bit_parallel][performance]") {
    // R=2 C=2 L=4 K=8 P=3, bits {3,1,2} (the bit-serial case of test_schedule: 23 cycles).
    // Bit-parallel: groups [0,1] [2] in layer order, chunks 2, 2 pixel tiles each ->
    // 4 tiles of n = 2 < R + 1 = 3: total = (2 + 1) + 3 * 3 + (2 + 2) = 16,
    // stall 3 * 1 = 3, ideal = 3*8*3 / 16 = 4.5.
    fwmac::ArrayShape shape = parallel_shape(2, 2, 4);
    shape.architecture = fwmac::Architecture::bit_serial;
    const std::vector<int> bits{3, 1, 2};
    const fwmac::LayerPerformance p = fwmac::layer_performance(bits, 8, 3, shape);
    CHECK(p.sorted.total == 23);
    CHECK(p.bit_parallel.total == 16);
    CHECK(p.bit_parallel.issue == 8);
    CHECK(p.bit_parallel.drain_stall == 3);
    CHECK(p.bit_parallel.ideal_bound == Approx(4.5));
    CHECK(p.cycles_vs_bit_parallel() == Approx(23.0 / 16.0));
    // Totals add up.
    const fwmac::LayerPerformance total = fwmac::total_performance({p, p});
    CHECK(total.bit_parallel.total == 32);
    CHECK(total.bit_parallel.ideal_bound == Approx(9.0));
}

TEST_CASE("bit-parallel designs: files, report, banner", "[bit_parallel][generator]") {
    const fwmac::GeneratorConfig config = fwmac::parse_config(
        json{{"name", "par"}, {"architecture", "bit_parallel"}, {"rows", 4}, {"cols", 3}, {"lanes", 5},
             {"k_max", 1000}, {"pipeline", {{"tree_register_every", 1}}}});
    const fwmac::FileSet files = fwmac::generate_design(config);
    CHECK(files == fwmac::generate_design(config));
    // every module and file is named after the config ("par_...")
    for (const char* path : {"rtl/par_mult_tree.v", "rtl/par_pe_mac.v", "rtl/par_ctrl.v", "rtl/par_drain.v",
                             "rtl/par_requant.v", "rtl/par_operand_regs.v", "rtl/par_array.v", "rtl/par_top.v",
                             "formal/par_pe_formal.v", "formal/pe_equiv.ys"}) {
        CAPTURE(path);
        CHECK(files.count(path) == 1);
    }
    CHECK(files.count("rtl/par_dot_tree.v") == 0);
    CHECK(files.count("rtl/par_pe_acc.v") == 0);
    CHECK_THAT(files.at("rtl/par_top.v"), Contains("architecture=bit_parallel"));
    CHECK_THAT(files.at("rtl/par_array.v"), Contains("par_pe_mac") && !Contains("par_pe_acc"));
    CHECK_THAT(files.at("formal/pe_equiv.ys"), Contains("rtl/par_mult_tree.v rtl/par_pe_mac.v"));

    const json report = json::parse(files.at("report.json"));
    CHECK(report.at("config").at("architecture") == "bit_parallel");
    // 5 lanes of 8 x 8 bits: products -32640..32385, x5 -> -163200..161925 -> 19 bits.
    CHECK(report.at("derived").at("dot_width") == 19);
    CHECK(report.at("derived").at("plane_count_width") == 1);
    CHECK(report.at("derived").at("weight_lane_bits") == 8);
    CHECK(report.at("interfaces").at("w_plane_bits") == 4 * 5 * 8);
    CHECK(report.at("interfaces").at("cmd_planes_bits") == 1);
    CHECK(report.at("resources").at("multipliers_per_pe") == 5);
    CHECK(report.at("resources").at("partial_sum_bits") == 0);
    CHECK_THAT(report.at("cycle_model").at("formula").get<std::string>(), Contains("n_i = chunks (one cycle"));

    // The bit-serial design of the same size has the other PE files.
    json serial_json = fwmac::normalized_json(config);
    serial_json["architecture"] = "bit_serial";
    const fwmac::FileSet serial = fwmac::generate_design(fwmac::parse_config(serial_json));
    CHECK(serial.count("rtl/par_dot_tree.v") == 1);
    CHECK(serial.count("rtl/par_pe_acc.v") == 1);
    CHECK(serial.count("rtl/par_mult_tree.v") == 0);
    CHECK(serial.count("rtl/par_pe_mac.v") == 0);
    CHECK(json::parse(serial.at("report.json")).at("interfaces").at("w_plane_bits") == 4 * 5);
}
