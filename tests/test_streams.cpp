// Stream beats of a scheduled layer, the array model against direct accumulation,
// BitVector packing and im2col, with hand-worked small cases.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include "golden/array_model.hpp"
#include "golden/bit_vector.hpp"
#include "golden/layer.hpp"
#include "golden/schedule.hpp"
#include "golden/streams.hpp"
#include "compiler/workload.hpp"
#include "array_shapes.hpp"

namespace {

fwmac::ArrayShape make_shape(int rows, int cols, int lanes, int act_bits, int max_weight_bits, int k_max = 4608,
                             int row_slots = 1) {
    fwmac::ArrayShape shape = fwmac::testing::array_shape(rows, cols, lanes, act_bits, max_weight_bits, k_max);
    shape.row_slots = row_slots;
    return shape;
}

// The filter of virtual row v (row * row_slots + slot), -1 past the group's end.
int virtual_row_filter(const fwmac::RowGroup& group, int virtual_row) {
    return virtual_row < static_cast<int>(group.filters.size()) ? group.filters[static_cast<std::size_t>(virtual_row)]
                                                                : -1;
}

// The interface rule (fwmac_top.v header): with two slots the last second_spans[r] planes
// of every chunk carry row r's second filter, bit `plane`; the others its first filter,
// bit plane - second_span. Returns {filter, bit}.
std::pair<int, int> plane_filter_bit(const fwmac::RowGroup& group, int row_slots, int row, int plane) {
    if (row_slots == 1) return {virtual_row_filter(group, row), plane};
    const int second_span = group.second_spans.at(static_cast<std::size_t>(row));
    if (plane < second_span) return {virtual_row_filter(group, 2 * row + 1), plane};
    return {virtual_row_filter(group, 2 * row), plane - second_span};
}

// acc[f][p] = sum_k W[f][k] * X[k][p], written out here as the test's own oracle.
std::vector<std::int64_t> loop_accumulators(const fwmac::GemmLayer& layer) {
    std::vector<std::int64_t> acc;
    for (int f = 0; f < layer.filters; ++f) {
        for (int p = 0; p < layer.pixels; ++p) {
            std::int64_t sum = 0;
            for (int k = 0; k < layer.depth; ++k) {
                sum += layer.weights[static_cast<std::size_t>(f) * layer.depth + k] *
                       layer.activations[static_cast<std::size_t>(k) * layer.pixels + p];
            }
            acc.push_back(sum);
        }
    }
    return acc;
}

// Bit `plane` of w's two's-complement representation (sign bit repeated above 63).
int twos_complement_bit(std::int64_t w, int plane) {
    return static_cast<int>((static_cast<std::uint64_t>(w) >> std::min(plane, 63)) & 1U);
}

// A one-filter-per-row layer given explicitly (raw output, unit requant).
fwmac::GemmLayer explicit_layer(int depth, int pixels, const std::vector<int>& bits,
                                const std::vector<std::int64_t>& weights,
                                const std::vector<std::int64_t>& activations) {
    fwmac::GemmLayer layer;
    layer.filters = static_cast<int>(bits.size());
    layer.depth = depth;
    layer.pixels = pixels;
    layer.weight_bits = bits;
    layer.weights = weights;
    layer.activations = activations;
    layer.requant.assign(bits.size(), fwmac::RequantParams{0, 1, 0});
    layer.mode = fwmac::OutputMode{false, true};
    return layer;
}

// Every weight-plane beat against the weights: beat order tile, chunk, plane MSB first;
// row r lane l at bit r*L + l; padding rows and lanes beyond K are 0.
void check_weight_planes(const fwmac::GemmLayer& layer, const fwmac::Schedule& schedule,
                         const fwmac::ArrayStreams& streams) {
    const fwmac::ArrayShape& shape = schedule.shape;
    std::size_t beat = 0;
    for (const fwmac::Tile& tile : schedule.tiles) {
        const fwmac::RowGroup& group = schedule.groups[static_cast<std::size_t>(tile.group)];
        for (int chunk = 0; chunk < schedule.chunks; ++chunk) {
            for (int plane = group.planes - 1; plane >= 0; --plane, ++beat) {
                const fwmac::BitVector& bits = streams.weight_planes.at(beat);
                REQUIRE(bits.width() == static_cast<std::size_t>(shape.rows * shape.lanes));
                for (int row = 0; row < shape.rows; ++row) {
                    for (int lane = 0; lane < shape.lanes; ++lane) {
                        const int k = chunk * shape.lanes + lane;
                        const auto [filter, bit] = plane_filter_bit(group, shape.row_slots, row, plane);
                        const bool real = filter >= 0 && k < layer.depth;
                        const int expected = real ? twos_complement_bit(layer.weight(filter, k), bit) : 0;
                        CAPTURE(beat, row, lane, chunk, plane);
                        REQUIRE(bits.field(static_cast<std::size_t>(row * shape.lanes + lane), 1) ==
                                static_cast<std::uint64_t>(expected));
                    }
                }
            }
        }
    }
    REQUIRE(beat == streams.weight_planes.size());
}

// Every activation beat: column c lane l at bits (c*L + l)*A; padding columns/lanes are 0.
void check_activations(const fwmac::GemmLayer& layer, const fwmac::Schedule& schedule,
                       const fwmac::ArrayStreams& streams) {
    const fwmac::ArrayShape& shape = schedule.shape;
    std::size_t beat = 0;
    for (const fwmac::Tile& tile : schedule.tiles) {
        for (int chunk = 0; chunk < schedule.chunks; ++chunk, ++beat) {
            const fwmac::BitVector& bits = streams.activations.at(beat);
            REQUIRE(bits.width() == static_cast<std::size_t>(shape.cols * shape.lanes * shape.act_bits));
            for (int col = 0; col < shape.cols; ++col) {
                for (int lane = 0; lane < shape.lanes; ++lane) {
                    const int k = chunk * shape.lanes + lane;
                    const bool real = col < tile.pixel_count && k < layer.depth;
                    const std::int64_t expected = real ? layer.activation(k, tile.pixel_start + col) : 0;
                    CAPTURE(beat, col, lane, chunk);
                    REQUIRE(bits.field(static_cast<std::size_t>((col * shape.lanes + lane) * shape.act_bits),
                                       shape.act_bits) == static_cast<std::uint64_t>(expected));
                }
            }
        }
    }
}

// Param beats: row r at r*(ACC_W+22) holds {shift[5:0], mult[15:0], bias[ACC_W-1:0]}.
// One p beat per output beat (drained row), in the same order, with that row's filter's
// parameters (zero for a padding row or an empty slot).
void check_params(const fwmac::GemmLayer& layer, const fwmac::Schedule& schedule, const fwmac::ArrayStreams& streams) {
    const fwmac::ArrayShape& shape = schedule.shape;
    const int acc_bits = fwmac::acc_width(shape);
    REQUIRE(streams.params.size() == streams.outputs.size());
    for (std::size_t b = 0; b < streams.outputs.size(); ++b) {
        const fwmac::ParamBeat& beat = streams.params[b];
        const fwmac::OutputBeat& output = streams.outputs[b];
        const fwmac::RowGroup& group = schedule.groups[static_cast<std::size_t>(schedule.tiles.at(output.tile).group)];
        REQUIRE(beat.data.width() == static_cast<std::size_t>(acc_bits + 16 + 6));
        REQUIRE(beat.relu == layer.mode.relu);
        REQUIRE(beat.raw == layer.mode.raw);
        const int filter = virtual_row_filter(group, output.row);
        const fwmac::RequantParams expected =
            filter >= 0 ? layer.requant[static_cast<std::size_t>(filter)] : fwmac::RequantParams{0, 0, 0};
        CAPTURE(b, output.tile, output.row);
        REQUIRE(fwmac::sign_extend(beat.data.field(0, acc_bits), acc_bits) == expected.bias);
        REQUIRE(beat.data.field(acc_bits, 16) == expected.mult);
        REQUIRE(beat.data.field(acc_bits + 16, 6) == static_cast<std::uint64_t>(expected.shift));
    }
}

}  // namespace

TEST_CASE("random layers: array model, streams and output reassembly agree", "[streams][property]") {
    struct ShapeCase {
        fwmac::ArrayShape shape;
        fwmac::LayerLimits limits;
    };
    const std::vector<ShapeCase> shapes{
        {make_shape(3, 5, 7, 8, 8), {20, 50, 13}},
        {make_shape(1, 1, 1, 8, 8), {5, 12, 4}},
        {make_shape(4, 2, 3, 4, 16), {17, 40, 9}},
        {make_shape(8, 8, 8, 16, 16, 1024), {20, 70, 20}},
        {make_shape(2, 3, 16, 1, 1, 64), {9, 64, 7}},
        // two filters per row
        {make_shape(3, 5, 7, 8, 8, 4608, 2), {20, 50, 13}},
        {make_shape(4, 2, 3, 4, 16, 4608, 2), {30, 40, 9}},
        {make_shape(1, 2, 2, 3, 5, 256, 2), {9, 30, 5}},
        {make_shape(2, 3, 16, 1, 1, 64, 2), {9, 64, 7}},
    };
    constexpr std::uint64_t kSeed = 0x57a3'0000'0000'0100ULL;
    constexpr int kLayersPerShape = 30;
    for (std::size_t s = 0; s < shapes.size(); ++s) {
        const fwmac::ArrayShape& shape = shapes[s].shape;
        for (int i = 0; i < kLayersPerShape; ++i) {
            const std::uint64_t seed = kSeed + s * 1000 + static_cast<std::uint64_t>(i);
            CAPTURE(s, shape.rows, shape.cols, shape.lanes, shape.act_bits, shape.max_weight_bits, seed);
            const fwmac::GemmLayer layer = fwmac::random_layer(shape, seed, shapes[s].limits);
            CAPTURE(layer.filters, layer.depth, layer.pixels, layer.weight_bits, layer.mode.relu, layer.mode.raw);
            REQUIRE_NOTHROW(fwmac::validate_layer(layer, shape));

            const fwmac::Schedule schedule = fwmac::make_schedule(layer.weight_bits, layer.depth, layer.pixels, shape);
            const fwmac::ArrayResult result = fwmac::run_array_model(layer, schedule);
            const std::vector<std::int64_t> oracle = loop_accumulators(layer);
            REQUIRE(result.accumulators == oracle);
            REQUIRE(result.accumulators == fwmac::direct_accumulators(layer));
            if (layer.mode.raw) REQUIRE(result.outputs == oracle);

            const fwmac::ArrayStreams streams = fwmac::build_streams(layer, schedule, result);
            REQUIRE(fwmac::collect_outputs(streams.outputs, layer.filters, layer.pixels) == result.outputs);

            // Beat counts.
            const std::size_t tiles = schedule.tiles.size();
            const auto chunks = static_cast<std::size_t>((layer.depth + shape.lanes - 1) / shape.lanes);
            std::size_t plane_beats = 0;
            for (const fwmac::Tile& tile : schedule.tiles) {
                plane_beats += chunks * static_cast<std::size_t>(schedule.groups[static_cast<std::size_t>(tile.group)].planes);
            }
            REQUIRE(streams.commands.size() == tiles);
            REQUIRE(streams.activations.size() == tiles * chunks);
            REQUIRE(streams.weight_planes.size() == plane_beats);
            // drained rows per tile: all R * row_slots virtual rows, except that a two-slot
            // tile whose group holds no second filter drains only its R slot-0 rows
            const int virtual_rows = shape.rows * shape.row_slots;
            std::vector<int> drained_step;  // per tile: 1 (every virtual row) or 2 (slot 0 only)
            std::size_t output_beats = 0;
            for (const fwmac::Tile& tile : schedule.tiles) {
                const fwmac::RowGroup& group = schedule.groups[static_cast<std::size_t>(tile.group)];
                const bool any_second = std::any_of(group.second_spans.begin(), group.second_spans.end(),
                                                    [](int span) { return span != 0; });
                drained_step.push_back(shape.row_slots == 2 && !any_second ? 2 : 1);
                output_beats += static_cast<std::size_t>(virtual_rows / drained_step.back());
            }
            REQUIRE(streams.outputs.size() == output_beats);

            std::size_t next_beat = 0;
            for (std::size_t t = 0; t < tiles; ++t) {
                const fwmac::Tile& tile = schedule.tiles[t];
                const fwmac::RowGroup& group = schedule.groups[static_cast<std::size_t>(tile.group)];
                REQUIRE(streams.commands[t].chunks == static_cast<int>(chunks));
                REQUIRE(streams.commands[t].planes == group.planes);
                REQUIRE(streams.commands[t].second_spans == group.second_spans);
                for (int row = 0; row < virtual_rows; row += drained_step[t]) {
                    REQUIRE(next_beat < streams.outputs.size());
                    const fwmac::OutputBeat& beat = streams.outputs[next_beat++];
                    REQUIRE(beat.tile == static_cast<int>(t));
                    REQUIRE(beat.row == row);
                    REQUIRE(beat.last == (row + drained_step[t] >= virtual_rows));
                    REQUIRE(beat.filter == virtual_row_filter(group, row));
                    REQUIRE(beat.pixel_start == tile.pixel_start);
                    REQUIRE(beat.pixel_count == tile.pixel_count);
                    REQUIRE(beat.values.size() == static_cast<std::size_t>(shape.cols));
                }
            }
            check_weight_planes(layer, schedule, streams);
            check_activations(layer, schedule, streams);
            check_params(layer, schedule, streams);
        }
    }
}

TEST_CASE("hand-worked stream beats", "[streams]") {
    SECTION("R=1 L=2: weights {-2, 1} in 2 bits, sign plane first") {
        // -2 = 10b, 1 = 01b. Plane 1 (emitted first): lane0 = 1, lane1 = 0 -> field(0,2) = 01b = 1.
        // Plane 0: lane0 = 0, lane1 = 1 -> field(0,2) = 10b = 2.
        // acc = -2*3 + 1*5 = -1 (raw output).
        const fwmac::ArrayShape shape = make_shape(1, 1, 2, 8, 8);
        const fwmac::GemmLayer layer = explicit_layer(2, 1, {2}, {-2, 1}, {3, 5});
        const fwmac::Schedule schedule = fwmac::make_schedule(layer.weight_bits, 2, 1, shape);
        const fwmac::ArrayResult result = fwmac::run_array_model(layer, schedule);
        const fwmac::ArrayStreams streams = fwmac::build_streams(layer, schedule, result);
        REQUIRE(streams.weight_planes.size() == 2);
        CHECK(streams.weight_planes[0].field(0, 1) == 1);
        CHECK(streams.weight_planes[0].field(1, 1) == 0);
        CHECK(streams.weight_planes[0].field(0, 2) == 1);
        CHECK(streams.weight_planes[1].field(0, 1) == 0);
        CHECK(streams.weight_planes[1].field(1, 1) == 1);
        CHECK(streams.weight_planes[1].field(0, 2) == 2);
        // Activations: lane 0 = 3 at bits 0..7, lane 1 = 5 at bits 8..15.
        REQUIRE(streams.activations.size() == 1);
        CHECK(streams.activations[0].width() == 16);
        CHECK(streams.activations[0].field(0, 16) == 3 + (5 << 8));
        REQUIRE(streams.commands.size() == 1);
        CHECK(streams.commands[0].chunks == 1);
        CHECK(streams.commands[0].planes == 2);
        CHECK(result.accumulators == std::vector<std::int64_t>{-1});
        REQUIRE(streams.outputs.size() == 1);
        CHECK(streams.outputs[0].values == std::vector<std::int64_t>{-1});
    }
    SECTION("a narrow row sign-extends to the group's b_g; padding row is zero") {
        // R=3 (one padding row), L=1, K=1. bits {1, 3}: f0 = -1 (1b), f1 = 2 (010b); b_g = 3.
        // Planes 2, 1, 0 as {row0,row1,row2} -> bits: {1,0,0}=1, {1,1,0}=3, {1,0,0}=1.
        // acc: f0 = -1*7 = -7, f1 = 2*7 = 14.
        const fwmac::ArrayShape shape = make_shape(3, 1, 1, 8, 8);
        const fwmac::GemmLayer layer = explicit_layer(1, 1, {1, 3}, {-1, 2}, {7});
        const fwmac::Schedule schedule = fwmac::make_schedule(layer.weight_bits, 1, 1, shape);
        const fwmac::ArrayResult result = fwmac::run_array_model(layer, schedule);
        const fwmac::ArrayStreams streams = fwmac::build_streams(layer, schedule, result);
        REQUIRE(streams.weight_planes.size() == 3);
        CHECK(streams.weight_planes[0].field(0, 3) == 1);
        CHECK(streams.weight_planes[1].field(0, 3) == 3);
        CHECK(streams.weight_planes[2].field(0, 3) == 1);
        CHECK(result.accumulators == std::vector<std::int64_t>{-7, 14});
        REQUIRE(streams.outputs.size() == 3);
        CHECK(streams.outputs[2].filter == -1);
        CHECK(fwmac::collect_outputs(streams.outputs, 2, 1) == std::vector<std::int64_t>{-7, 14});
    }
    SECTION("the schedule's sort is undone: outputs come back in filter order") {
        // R=1, L=1, K=1, P=2, C=1; bits {3, 1}: sorted issue order f1 then f0.
        // f0 = 3 (011b), f1 = -1; X = {4, 6}: f0 -> {12, 18}, f1 -> {-4, -6}.
        const fwmac::ArrayShape shape = make_shape(1, 1, 1, 8, 8);
        const fwmac::GemmLayer layer = explicit_layer(1, 2, {3, 1}, {3, -1}, {4, 6});
        const fwmac::Schedule schedule = fwmac::make_schedule(layer.weight_bits, 1, 2, shape);
        const fwmac::ArrayStreams streams =
            fwmac::build_streams(layer, schedule, fwmac::run_array_model(layer, schedule));
        REQUIRE(streams.outputs.size() == 4);
        CHECK(streams.outputs[0].filter == 1);
        CHECK(streams.outputs[0].values == std::vector<std::int64_t>{-4});
        CHECK(streams.outputs[3].filter == 0);
        CHECK(streams.outputs[3].values == std::vector<std::int64_t>{18});
        CHECK(fwmac::collect_outputs(streams.outputs, 2, 2) == std::vector<std::int64_t>{12, 18, -4, -6});
        // Dropping a beat leaves a hole, which must be reported.
        std::vector<fwmac::OutputBeat> missing(streams.outputs.begin(), streams.outputs.end() - 1);
        CHECK_THROWS_AS(fwmac::collect_outputs(missing, 2, 2), std::logic_error);
    }
    SECTION("two filters in one row: first span, then the second span; two output rows") {
        // R=1, row_slots=2, L=1, K=1, P=1, Bmax=4; one group of 4 planes, row 0 holds f0 in
        // the first 2 planes and f1 in the last 2 (second span 2). f0 = 1 (01b), f1 = -2 (10b).
        // Planes 3,2 carry f0 bits 1,0 = 0,1; planes 1,0 carry f1 bits 1,0 = 1,0.
        // X = 5: acc f0 = 5, f1 = -10; drained as virtual rows 0 (f0) and 1 (f1).
        const fwmac::ArrayShape shape = make_shape(1, 1, 1, 8, 4, 64, 2);
        const fwmac::GemmLayer layer = explicit_layer(1, 1, {2, 2}, {1, -2}, {5});
        fwmac::Schedule schedule;
        schedule.shape = shape;
        schedule.depth = 1;
        schedule.pixels = 1;
        schedule.chunks = 1;
        schedule.groups.push_back(fwmac::RowGroup{{0, 1}, {2}, 4});
        schedule.tiles.push_back(fwmac::Tile{0, 0, 1});
        CHECK(fwmac::slot_span(schedule.groups[0], 0, 2) == 2);
        CHECK(fwmac::slot_span(schedule.groups[0], 1, 2) == 2);
        const fwmac::ArrayResult result = fwmac::run_array_model(layer, schedule);
        CHECK(result.accumulators == std::vector<std::int64_t>{5, -10});
        const fwmac::ArrayStreams streams = fwmac::build_streams(layer, schedule, result);
        REQUIRE(streams.weight_planes.size() == 4);
        CHECK(streams.weight_planes[0].field(0, 1) == 0);
        CHECK(streams.weight_planes[1].field(0, 1) == 1);
        CHECK(streams.weight_planes[2].field(0, 1) == 1);
        CHECK(streams.weight_planes[3].field(0, 1) == 0);
        REQUIRE(streams.commands.size() == 1);
        CHECK(streams.commands[0].planes == 4);
        CHECK(streams.commands[0].second_spans == std::vector<int>{2});
        // cmd_spans_i: span_width(Bmax = 4) = 3 bits per row
        CHECK(fwmac::command_spans(streams.commands[0], shape).width() == 3);
        CHECK(fwmac::command_spans(streams.commands[0], shape).field(0, 3) == 2);
        REQUIRE(streams.outputs.size() == 2);
        CHECK(streams.outputs[0].filter == 0);
        CHECK(streams.outputs[1].filter == 1);
        CHECK(fwmac::collect_outputs(streams.outputs, 2, 1) == std::vector<std::int64_t>{5, -10});
        // one p beat per drained row, each one row's parameters
        REQUIRE(streams.params.size() == 2);
        CHECK(streams.params[0].data.width() == static_cast<std::size_t>(fwmac::param_width(shape)));
    }
    SECTION("param beat fields for the default k_max (|sum| <= 4608 * 2^7 * 255 < 2^28: ACC_W = 29)") {
        // Row 0: bias -4 in bits 0..28, mult 3 in bits 29..44, shift 2 in bits 45..50; one
        // beat per drained row, so the padding row 1 has a beat of its own (all zero).
        const fwmac::ArrayShape shape = make_shape(2, 1, 1, 8, 8);
        fwmac::GemmLayer layer = explicit_layer(1, 1, {2}, {1}, {1});
        layer.requant[0] = fwmac::RequantParams{-4, 3, 2};
        layer.mode = fwmac::OutputMode{true, false};
        const fwmac::Schedule schedule = fwmac::make_schedule(layer.weight_bits, 1, 1, shape);
        const fwmac::ArrayStreams streams =
            fwmac::build_streams(layer, schedule, fwmac::run_array_model(layer, schedule));
        REQUIRE(streams.params.size() == 2);
        const fwmac::BitVector& data = streams.params[0].data;
        CHECK(data.width() == 51);
        CHECK(data.field(0, 29) == (std::uint64_t{1} << 29) - 4);
        CHECK(data.field(29, 16) == 3);
        CHECK(data.field(45, 6) == 2);
        CHECK(streams.params[1].data.width() == 51);
        CHECK(streams.params[1].data.field(0, 51) == 0);  // padding row
        CHECK(streams.params[0].relu);
        CHECK_FALSE(streams.params[0].raw);
    }
}

TEST_CASE("BitVector::set_bits packs a vector across word boundaries", "[bitvector]") {
    // A 70-bit source: 0x3 in bits 0..1, 0x155 (101010101b) in bits 60..68, bit 69 = 1.
    fwmac::BitVector source(70);
    source.set_field(0, 2, 0x3);
    source.set_field(60, 9, 0x155);
    source.set_field(69, 1, 1);
    fwmac::BitVector target(100);
    target.set_field(0, 30, 0x3fffffff);  // ones below the destination must survive
    target.set_bits(30, source);
    CHECK(target.field(0, 30) == 0x3fffffff);
    CHECK(target.field(30, 2) == 0x3);
    CHECK(target.field(32, 58) == 0);          // source bits 2..59 are 0
    CHECK(target.field(90, 9) == 0x155);       // source bits 60..68 at 90..98
    CHECK(target.field(99, 1) == 1);           // source bit 69 at 99
    CHECK_THROWS_AS(target.set_bits(31, source), std::out_of_range);  // 31 + 70 > 100
}

TEST_CASE("BitVector fields across 32-bit word boundaries", "[bitvector]") {
    SECTION("hand-placed fields") {
        fwmac::BitVector bits(100);
        CHECK(bits.width() == 100);
        CHECK(bits.words().size() == 4);  // ceil(100 / 32)
        // 0xAB at bit 28: low nibble 0xB in word 0 bits 28..31, high nibble 0xA in word 1 bits 0..3.
        bits.set_field(28, 8, 0xAB);
        CHECK(bits.field(28, 8) == 0xAB);
        CHECK(bits.words()[0] == 0xB0000000U);
        CHECK(bits.words()[1] == 0x0000000AU);
        // A 64-bit field at bit 30 touches words 0, 1 and 2.
        fwmac::BitVector wide(100);
        wide.set_field(30, 64, 0x0123456789ABCDEFULL);
        CHECK(wide.field(30, 64) == 0x0123456789ABCDEFULL);
        CHECK(wide.field(30, 4) == 0xF);
        CHECK(wide.field(90, 4) == 0x0);
        CHECK(wide.field(0, 30) == 0);
        CHECK(wide.field(94, 6) == 0);
        // Only the low field_width bits of the value are written.
        fwmac::BitVector masked(40);
        masked.set_field(0, 4, 0xFF);
        CHECK(masked.field(0, 8) == 0x0F);
    }
    SECTION("writing zeros clears only the field") {
        fwmac::BitVector bits(96);
        bits.set_field(0, 64, ~std::uint64_t{0});
        bits.set_field(64, 32, 0xFFFFFFFFULL);
        bits.set_field(31, 3, 0);  // bits 31, 32, 33
        CHECK(bits.words()[0] == 0x7FFFFFFFU);
        CHECK(bits.words()[1] == 0xFFFFFFFCU);
        CHECK(bits.words()[2] == 0xFFFFFFFFU);
    }
    SECTION("out-of-range access throws") {
        fwmac::BitVector bits(40);
        CHECK_THROWS_AS(bits.set_field(33, 8, 1), std::out_of_range);
        CHECK_THROWS_AS(bits.field(0, 41), std::out_of_range);
        CHECK_NOTHROW(bits.field(32, 8));
    }
    SECTION("random round trips against a shadow bit array") {
        constexpr std::uint64_t kSeed = 0xb17'0000'0000'0007ULL;
        for (int trial = 0; trial < 300; ++trial) {
            const std::uint64_t seed = kSeed + static_cast<std::uint64_t>(trial);
            std::mt19937_64 rng(seed);
            CAPTURE(seed, trial);
            const auto width = std::uniform_int_distribution<std::size_t>(1, 200)(rng);
            fwmac::BitVector bits(width);
            std::vector<int> shadow(width, 0);
            for (int op = 0; op < 40; ++op) {
                const int field_width =
                    std::uniform_int_distribution<int>(0, static_cast<int>(std::min<std::size_t>(64, width)))(rng);
                const auto offset = std::uniform_int_distribution<std::size_t>(0, width - field_width)(rng);
                const std::uint64_t value = rng();
                bits.set_field(offset, field_width, value);
                for (int b = 0; b < field_width; ++b) shadow[offset + b] = static_cast<int>((value >> b) & 1);
                std::uint64_t expected = 0;
                for (int b = 0; b < field_width; ++b) expected |= static_cast<std::uint64_t>(shadow[offset + b]) << b;
                REQUIRE(bits.field(offset, field_width) == expected);
            }
            for (std::size_t i = 0; i < width; ++i) REQUIRE(bits.field(i, 1) == static_cast<std::uint64_t>(shadow[i]));
        }
    }
}

TEST_CASE("sign_extend hand cases", "[bitvector]") {
    CHECK(fwmac::sign_extend(0b101, 3) == -3);
    CHECK(fwmac::sign_extend(0b011, 3) == 3);
    CHECK(fwmac::sign_extend(0xFF, 8) == -1);
    CHECK(fwmac::sign_extend(0x80, 8) == -128);
    CHECK(fwmac::sign_extend(0x7F, 8) == 127);
    CHECK(fwmac::sign_extend(0x1FF, 8) == -1);   // bits above the width are ignored
    CHECK(fwmac::sign_extend(0x17F, 8) == 127);
    CHECK(fwmac::sign_extend(1, 1) == -1);
    CHECK(fwmac::sign_extend(0, 1) == 0);
    CHECK(fwmac::sign_extend(std::uint64_t{1} << 45, 46) == -(std::int64_t{1} << 45));
    CHECK(fwmac::sign_extend((std::uint64_t{1} << 30) - 4, 30) == -4);
    CHECK(fwmac::sign_extend(~std::uint64_t{0}, 64) == -1);
    CHECK(fwmac::sign_extend(0x7FFFFFFFFFFFFFFFULL, 64) == INT64_MAX);
}

TEST_CASE("im2col hand-worked", "[im2col]") {
    SECTION("3x3 image 1..9, kernel 2, stride 1, padding 0") {
        // Output 2x2, K = 4 taps (k = ky*2 + kx), pixel p = oy*2 + ox:
        //   k0 (0,0): 1 2 4 5   k1 (0,1): 2 3 5 6   k2 (1,0): 4 5 7 8   k3 (1,1): 5 6 8 9
        fwmac::ConvShape conv;
        conv.height = 3;
        conv.width = 3;
        conv.kernel_h = conv.kernel_w = 2;
        CHECK(conv.depth() == 4);
        CHECK(conv.pixels() == 4);
        const std::vector<std::int64_t> expected{1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9};
        CHECK(fwmac::im2col(conv, {1, 2, 3, 4, 5, 6, 7, 8, 9}) == expected);
    }
    SECTION("2x2 image, kernel 2, stride 1, padding 1") {
        // Padded image (4x4):   0 0 0 0 / 0 1 2 0 / 0 3 4 0 / 0 0 0 0; output 3x3.
        //   k0 (0,0): padded[oy][ox]       = 0 0 0  0 1 2  0 3 4
        //   k1 (0,1): padded[oy][ox+1]     = 0 0 0  1 2 0  3 4 0
        //   k2 (1,0): padded[oy+1][ox]     = 0 1 2  0 3 4  0 0 0
        //   k3 (1,1): padded[oy+1][ox+1]   = 1 2 0  3 4 0  0 0 0
        fwmac::ConvShape conv;
        conv.height = 2;
        conv.width = 2;
        conv.kernel_h = conv.kernel_w = 2;
        conv.padding_h = conv.padding_w = 1;
        CHECK(conv.out_height() == 3);
        CHECK(conv.pixels() == 9);
        const std::vector<std::int64_t> expected{0, 0, 0, 0, 1, 2, 0, 3, 4,  //
                                                 0, 0, 0, 1, 2, 0, 3, 4, 0,  //
                                                 0, 1, 2, 0, 3, 4, 0, 0, 0,  //
                                                 1, 2, 0, 3, 4, 0, 0, 0, 0};
        CHECK(fwmac::im2col(conv, {1, 2, 3, 4}) == expected);
    }
    SECTION("two channels, kernel 1, stride 2 on a 3x3 image") {
        // Output 2x2 samples (0,0) (0,2) (2,0) (2,2); k = channel.
        // channel 0 = 1..9 -> 1 3 7 9; channel 1 = 11..19 -> 11 13 17 19.
        fwmac::ConvShape conv;
        conv.in_channels = 2;
        conv.height = 3;
        conv.width = 3;
        conv.stride_h = conv.stride_w = 2;
        const std::vector<std::int64_t> image{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19};
        CHECK(fwmac::im2col(conv, image) == std::vector<std::int64_t>{1, 3, 7, 9, 11, 13, 17, 19});
    }
    SECTION("wrong image size is rejected") {
        fwmac::ConvShape conv;
        conv.height = 2;
        conv.width = 2;
        const std::vector<std::int64_t> image{1, 2, 3};
        CHECK_THROWS_AS(fwmac::im2col(conv, image), std::invalid_argument);
    }
}
