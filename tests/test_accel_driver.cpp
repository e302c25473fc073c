// The accelerator's host driver (compiler/accel_driver): section packing into bus beats,
// the input packet of a hand-worked layer (header words, section sizes, activation
// words), the output packet and its unpacking (hand-derived outputs of an all-ones
// layer; a striped layer against the golden direct accumulators in the layer's own K
// order), and the register names against the generated register map.
#include <catch2/catch.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/accel_driver.hpp"
#include "generator/common/config.hpp"
#include "generator/system/accel_regmap.hpp"
#include "golden/conv.hpp"
#include "golden/layer.hpp"

namespace {

using fwmac::BitVector;

BitVector word_of(int bits, std::uint64_t value) {
    BitVector word(static_cast<std::size_t>(bits));
    word.set_field(0, bits, value);
    return word;
}

// R = 2, C = 4, L = 4, A = 4, Bmax = 4, K_max = 36 (9 taps x one group of 4 lanes), raw
// outputs: ACC_W = 14 (-8 x 15 x 36 = -4320 needs 14 signed bits).
fwmac::ArrayShape small_shape() {
    fwmac::ArrayShape shape;
    shape.rows = 2;
    shape.cols = 4;
    shape.lanes = 4;
    shape.act_bits = 4;
    shape.max_weight_bits = 4;
    shape.k_max = 36;
    shape.requant_units = 4;
    shape.requant_stages = 0;
    shape.raw_outputs = true;
    return shape;
}

fwmac::SystemShape bus32(int act_buffer_kib = 256) {
    fwmac::SystemShape system;
    system.bus_bits = 32;
    system.act_buffer_kib = act_buffer_kib;
    return system;
}

// F filters over Cin channels of an H x W image, 3x3, pad 1, stride 1, raw outputs.
fwmac::AccelLayer layer_of(int filters, int channels, int height, int width) {
    fwmac::AccelLayer layer;
    layer.name = "test";
    layer.conv = fwmac::ConvShape(channels, height, width, 3, 1, 1, filters);
    layer.weights.assign(static_cast<std::size_t>(filters) * channels * 9, 0);
    layer.image.assign(static_cast<std::size_t>(channels) * height * width, 0);
    layer.weight_bits.assign(static_cast<std::size_t>(filters), 4);
    layer.requant.assign(static_cast<std::size_t>(filters), fwmac::RequantParams{});
    layer.mode.raw = true;
    return layer;
}

}  // namespace

TEST_CASE("accel driver: sections are containers packed low first, each from a new beat", "[accel]") {
    // 12-bit words in 16-bit containers, two per 32-bit beat, the last beat zero-padded
    const std::vector<BitVector> narrow =
        fwmac::pack_section({word_of(12, 0xabc), word_of(12, 0x123), word_of(12, 0xfff)}, 12, 32);
    REQUIRE(narrow.size() == 2);
    CHECK(narrow[0].field(0, 32) == 0x01230abcu);
    CHECK(narrow[1].field(0, 32) == 0x00000fffu);
    // 1-bit words in 8-bit containers: four per beat
    const std::vector<BitVector> bits =
        fwmac::pack_section({word_of(1, 1), word_of(1, 0), word_of(1, 1), word_of(1, 1), word_of(1, 1)}, 1, 32);
    REQUIRE(bits.size() == 2);
    CHECK(bits[0].field(0, 32) == 0x01010001u);
    CHECK(bits[1].field(0, 32) == 0x00000001u);
    // a 40-bit word in a 64-bit container spans two beats, low part first
    const std::vector<BitVector> wide = fwmac::pack_section({word_of(40, 0x123456789aULL)}, 40, 32);
    REQUIRE(wide.size() == 2);
    CHECK(wide[0].field(0, 32) == 0x3456789au);
    CHECK(wide[1].field(0, 32) == 0x00000012u);
    // BitVector::slice: any offset and width, bits past the end read 0
    const BitVector word = word_of(40, 0x123456789aULL);
    CHECK(word.slice(4, 8).field(0, 8) == 0x89u);
    CHECK(word.slice(36, 8).field(0, 8) == 0x01u);
    CHECK(word.slice(8, 40).field(0, 40) == 0x0012345678ULL);
    CHECK(word.slice(40, 16).field(0, 16) == 0u);
    CHECK(word.slice(0, 70).width() == 70);
    // an empty section takes no beat
    CHECK(fwmac::pack_section({}, 12, 32).empty());
}

TEST_CASE("accel driver: the packets of an all-ones 3x3 layer", "[accel]") {
    // F = 3 with weights f + 1 everywhere (2, 3 and 3 bits), Cin = 2, 3x3 image of ones,
    // 3x3 kernel, pad 1: output f is (f + 1) x 2 channels x the taps inside the image:
    // 4 at a corner, 6 at an edge, 9 in the centre.
    fwmac::AccelLayer layer = layer_of(3, 2, 3, 3);
    for (int f = 0; f < 3; ++f) {
        for (int i = 0; i < 18; ++i) layer.weights[static_cast<std::size_t>(f * 18 + i)] = f + 1;
    }
    layer.weight_bits = {2, 3, 3};
    for (auto& value : layer.image) value = 1;
    const fwmac::ArrayShape shape = small_shape();
    const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, bus32());
    REQUIRE(programs.size() == 1);
    const fwmac::AccelRunProgram& program = programs[0];
    const fwmac::Schedule& schedule = program.core.schedule;

    // filters sorted by bits, groups cut from the widest (golden/schedule): group 1 = {1, 2}
    // (3 planes), the partial group 0 = {0} (2 planes), row 1 empty
    REQUIRE(schedule.groups.size() == 2);
    CHECK(schedule.groups[0].planes == 2);
    CHECK(schedule.groups[0].filters.at(0) == 0);
    CHECK(schedule.groups[1].planes == 3);

    // header: planes bits_for(4) = 3 | drain rows bits_for(2) = 2 | real beats 2: 7 bits, one
    // 8-bit container: group 0 = 2 | 2 << 3 | 0b01 << 5 = 0x32, group 1 = 3 | 2 << 3 | 0b11 << 5 = 0x73
    CHECK(fwmac::header_bits(shape) == 7);
    // parameter words: ACC_W 14 + mult 16 + shift 6 + relu + raw = 38 bits, 64-bit containers (two beats)
    CHECK(fwmac::param_word_bits(shape) == 38);
    // group 0: header 1 beat, 2 parameter words x 2 beats, 9 chunks x 2 planes = 18 weight
    // words of R x L = 8 bits (4 per beat): 5 beats; then the activations: 3 x 3 words of
    // 16 bits, 2 per beat: 5 beats; group 1: 1 + 4 + 27 weight words in 7 beats.
    // 10 + 5 + 12 = 27 beats.
    const std::vector<BitVector>& in = program.input_beats;
    REQUIRE(in.size() == 27);
    CHECK(in[0].field(0, 32) == 0x32u);
    CHECK(in[15].field(0, 32) == 0x73u);
    // act words: channels 0 and 1 are 1 (bits 0 and 4), the padded channels 2 and 3 are 0
    for (int beat = 10; beat < 14; ++beat) CHECK(in[static_cast<std::size_t>(beat)].field(0, 32) == 0x00110011u);
    CHECK(in[14].field(0, 32) == 0x00000011u);
    CHECK(program.input_bytes() == 27 * 4);

    // output: 27 raw values in 16-bit containers (ACC_W = 14), two per beat: 14 beats, the
    // last one holding one value (2 bytes)
    REQUIRE(program.output_beats.size() == 14);
    CHECK(program.output_last_bytes == 2);
    CHECK(program.output_bytes() == 13 * 4 + 2);

    std::vector<std::int64_t> outputs(27, -1);
    fwmac::unpack_run(program, program.output_beats, 9, outputs);
    const std::vector<int> taps = {4, 6, 4, 6, 9, 6, 4, 6, 4};
    for (int f = 0; f < 3; ++f) {
        for (int p = 0; p < 9; ++p) {
            INFO("filter " << f << " pixel " << p);
            CHECK(outputs[static_cast<std::size_t>(f * 9 + p)] == (f + 1) * 2 * taps[static_cast<std::size_t>(p)]);
        }
    }
    // a short packet is refused
    std::vector<BitVector> truncated(program.output_beats.begin(), program.output_beats.end() - 1);
    CHECK_THROWS_AS(fwmac::unpack_run(program, truncated, 9, outputs), std::runtime_error);
}

TEST_CASE("accel driver: a striped layer unpacks to the direct accumulators", "[accel]") {
    // 24x24, Cin = 3, 3x3, pad 1 with a 1 KiB buffer (512 words of 16 bits): PITCH 28, a top
    // stripe of n rows needs 28 (n + 2) <= 512 words, so two stripes of 12 output rows.
    const std::uint64_t seed = 20261201;
    INFO("seed " << seed);
    std::mt19937_64 rng(seed);
    fwmac::AccelLayer layer = layer_of(5, 3, 24, 24);
    layer.weight_bits = {2, 4, 3, 4, 2};
    for (int f = 0; f < 5; ++f) {
        const int bits = layer.weight_bits[static_cast<std::size_t>(f)];
        const std::int64_t low = -(std::int64_t{1} << (bits - 1));
        const auto span = static_cast<std::uint64_t>(std::int64_t{1} << bits);
        for (int i = 0; i < 27; ++i) {
            layer.weights[static_cast<std::size_t>(f * 27 + i)] = low + static_cast<std::int64_t>(rng() % span);
        }
    }
    for (auto& value : layer.image) value = static_cast<std::int64_t>(rng() % 16);
    const fwmac::ArrayShape shape = small_shape();
    const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, bus32(1));
    REQUIRE(programs.size() == 2);
    CHECK(programs[0].run.out_height == 12);
    CHECK(programs[1].run.out_row0 == 12);
    CHECK(programs[1].run.in_row0 == 11);

    const int pixels = layer.conv.pixels();
    std::vector<std::int64_t> outputs(static_cast<std::size_t>(5 * pixels), INT64_MIN);
    for (const fwmac::AccelRunProgram& program : programs) {
        fwmac::unpack_run(program, program.output_beats, pixels, outputs);
    }
    // the layer as the core would run it without the shell: K = (c, ky, kx), golden im2col
    fwmac::GemmLayer reference;
    reference.filters = 5;
    reference.depth = layer.conv.depth();
    reference.pixels = pixels;
    reference.weight_bits = layer.weight_bits;
    reference.weights = layer.weights;
    reference.activations = fwmac::im2col(layer.conv, layer.image);
    reference.requant = layer.requant;
    reference.mode = layer.mode;
    CHECK(outputs == fwmac::direct_accumulators(reference));
}

TEST_CASE("accel driver: the run registers are fields of the generated register map", "[accel]") {
    const fwmac::RegisterMap map = fwmac::accel_regmap(fwmac::parse_config(nlohmann::json::object()));
    const fwmac::AccelLayer layer = layer_of(3, 2, 3, 3);
    const std::vector<fwmac::AccelRun> runs = fwmac::plan_runs(layer.conv, small_shape(), bus32());
    REQUIRE(runs.size() == 1);
    const auto registers = fwmac::run_registers(runs[0], 2, 4);
    CHECK(registers.size() == 25);
    // 3x3, pad 1, C = 4 (NB = 4): OW = 3, PITCH = 4 + 3 = 7 (7 = 3 mod 4), PLANE = 4 x 7 = 28;
    // tile steps 4 mod 3 = 1 and 4 div 3 = 1; 9 pixels in 3 tiles, the last with 1
    const std::vector<std::pair<std::string, std::uint64_t>> derived = {
        {"pitch.words", 7},   {"plane.words", 28},   {"im2col_x.out_width_s", 3}, {"im2col_x.tile_x", 1},
        {"im2col_y.tile_y", 1}, {"tile_q.words", 8}, {"plane_y.words", 28},       {"tiles.count", 3},
        {"tiles.last_pixels", 1}};
    for (const auto& entry : derived) {
        INFO(entry.first);
        bool found = false;
        for (const auto& reg : registers) {
            if (reg.first != entry.first) continue;
            found = true;
            CHECK(reg.second == entry.second);
        }
        CHECK(found);
    }
    for (const auto& [name, value] : registers) {
        INFO(name << " = " << value);
        const std::size_t dot = name.find('.');
        REQUIRE(dot != std::string::npos);
        const fwmac::Register* reg = map.find(name.substr(0, dot));
        REQUIRE(reg != nullptr);
        bool found = false;
        for (const fwmac::Field& field : reg->fields) {
            if (field.name != name.substr(dot + 1)) continue;
            found = true;
            CHECK(field.access == fwmac::Access::rw);
            CHECK((field.width >= 64 || value < (std::uint64_t{1} << field.width)));
        }
        CHECK(found);
    }
}

TEST_CASE("accel driver: host-lowered layers (GEMM mode) unpack to the direct accumulators", "[accel]") {
    // small_shape (L = 4): a 3x3 layer of one channel pads K to 9 x 4 = 36 with the hardware
    // im2col, 12 lowered on the host (9 rows of im2col); a 1x1 layer with stride 2 reads a
    // quarter of the pixels. Both run as 1x1 convolutions over the output grid. Reference:
    // the layer without the shell, golden im2col and direct accumulation.
    const std::uint64_t seed = 20261202;
    INFO("seed " << seed);
    std::mt19937_64 rng(seed);
    const fwmac::ArrayShape shape = small_shape();
    struct Case {
        fwmac::ConvShape conv;
        int lowered_channels;
    };
    const Case cases[] = {{fwmac::ConvShape(1, 9, 7, 3, 1, 1, 3), 9}, {fwmac::ConvShape(6, 10, 9, 1, 2, 0, 5), 6}};
    for (const Case& c : cases) {
        std::string why;
        REQUIRE(fwmac::host_lowered(c.conv, shape, &why));
        INFO(why);
        const fwmac::ConvShape lowered = fwmac::accel_conv(c.conv, shape);
        CHECK(lowered.in_channels == c.lowered_channels);
        CHECK(lowered.height == c.conv.out_height());
        CHECK(lowered.width == c.conv.out_width());
        CHECK(lowered.kernel_h == 1);
        CHECK(lowered.stride_h == 1);
        fwmac::AccelLayer layer = layer_of(c.conv.out_channels, c.conv.in_channels, c.conv.height, c.conv.width);
        layer.conv = c.conv;
        layer.weights.assign(static_cast<std::size_t>(c.conv.out_channels) * c.conv.depth(), 0);
        for (auto& weight : layer.weights) weight = static_cast<std::int64_t>(rng() % 16) - 8;
        for (auto& value : layer.image) value = static_cast<std::int64_t>(rng() % 16);
        const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, bus32(1));
        const int pixels = c.conv.pixels();
        std::vector<std::int64_t> outputs(static_cast<std::size_t>(c.conv.out_channels * pixels), INT64_MIN);
        for (const fwmac::AccelRunProgram& program : programs) {
            CHECK(program.run.kernel_h == 1);
            CHECK(program.run.stride == 1);
            fwmac::unpack_run(program, program.output_beats, pixels, outputs);
        }
        fwmac::GemmLayer reference;
        reference.filters = c.conv.out_channels;
        reference.depth = c.conv.depth();
        reference.pixels = pixels;
        reference.weight_bits = layer.weight_bits;
        reference.weights = layer.weights;
        reference.activations = fwmac::im2col(c.conv, layer.image);
        reference.requant = layer.requant;
        reference.mode = layer.mode;
        CHECK(outputs == fwmac::direct_accumulators(reference));
    }
    // a 3x3 layer of 3 channels on L = 4 is not lowered: 36 against 28
    CHECK_FALSE(fwmac::host_lowered(fwmac::ConvShape(3, 9, 9, 3, 1, 1, 2), shape));
}

namespace {

// R = 2, C = 4, L = 4, A = 4, Bmax = 4, K_max = 36, requantized outputs; two slots per row
// or the bit-parallel array. ACC_W = 14 (-8 x 15 x 36 = -4320), so a parameter word is
// 14 + 16 + 6 + relu = 37 bits (64-bit containers).
fwmac::ArrayShape variant_shape(int row_slots, bool bit_parallel) {
    fwmac::ArrayShape shape = small_shape();
    shape.raw_outputs = false;
    shape.row_slots = row_slots;
    if (bit_parallel) shape.architecture = fwmac::Architecture::bit_parallel;
    return shape;
}

// A 1x1 convolution of one channel over a 2 x 2 image of 0, 1, 2, 3 (P = 4: one tile of C =
// 4; K = one chunk of L = 4, channels 1..3 padded with zeros), one weight w_f per filter,
// requant y = clamp(w_f x + bias_f) (mult 1, shift 0, relu).
fwmac::AccelLayer pointwise_layer(const std::vector<std::int64_t>& weights, const std::vector<int>& bits,
                                  const std::vector<std::int64_t>& biases) {
    fwmac::AccelLayer layer;
    layer.name = "pointwise";
    const int filters = static_cast<int>(weights.size());
    layer.conv = fwmac::ConvShape(1, 2, 2, 1, 1, 0, filters);
    layer.weights = weights;
    layer.weight_bits = bits;
    layer.image = {0, 1, 2, 3};
    for (std::int64_t bias : biases) {
        fwmac::RequantParams requant;
        requant.bias = bias;
        layer.requant.push_back(requant);
    }
    layer.mode.relu = true;
    return layer;
}

// A parameter word {relu, shift, mult, bias} of the 14-bit-accumulator shape.
std::uint64_t param_of(std::int64_t bias, std::uint64_t mult, bool relu = true) {
    return (static_cast<std::uint64_t>(bias) & 0x3fffu) | mult << 14 | (relu ? std::uint64_t{1} << 36 : 0);
}

}  // namespace

TEST_CASE("accel driver: two slots per row, a group with a second filter drains 2R rows", "[accel]") {
    // filters of 4, 2 and 2 bits: one slot per row needs groups {4, 2} (4 planes) and {2}
    // (2 planes); two slots fit all three in one group of 4 planes: one row holds the
    // 4-bit filter alone, the other the two 2-bit filters, each a span of 2 planes
    const fwmac::AccelLayer layer = pointwise_layer({-3, 1, -1}, {4, 2, 2}, {12, 0, 5});
    const fwmac::ArrayShape shape = variant_shape(2, false);
    fwmac::SystemShape system = bus32();
    system.bus_bits = 64;
    const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, system);
    REQUIRE(programs.size() == 1);
    const fwmac::AccelRunProgram& program = programs[0];
    const fwmac::Schedule& schedule = program.core.schedule;
    REQUIRE(schedule.groups.size() == 1);
    const fwmac::RowGroup& group = schedule.groups[0];
    CHECK(group.planes == 4);
    // virtual rows 2r + slot: row 0 = filter 0 alone (slot 1 empty, span 0), row 1 =
    // filters 1 and 2 (slot 1's span 2)
    REQUIRE(group.filters == std::vector<int>{0, fwmac::kNoFilter, 1, 2});
    REQUIRE(group.second_spans == std::vector<int>{0, 2});

    // header: planes bits_for(8) = 4 | V bits_for(4) = 3 | spans 2 x bits_for(4) = 6 | real
    // beats 4 = 17 bits in a 32-bit container, one 64-bit beat:
    // 4 | 4 << 4 | (0 | 2 << 3) << 7 | 0b1101 << 13 = 0x1a844
    CHECK(fwmac::header_bits(shape) == 17);
    CHECK(fwmac::param_word_bits(shape) == 37);
    // group 0: header 1 beat, V = 4 parameter words of 64 bits (4 beats), 1 chunk x 4 planes
    // = 4 weight words of R x L = 8 bits (one beat); activations 4 words of 16 bits (one
    // beat): 7 beats
    const std::vector<BitVector>& in = program.input_beats;
    REQUIRE(in.size() == 7);
    CHECK(in[0].field(0, 64) == 0x1a844u);
    // parameters in drain order: filter 0, the empty slot (zero parameters, relu), 1, 2
    CHECK(in[1].field(0, 64) == param_of(12, 1));
    CHECK(in[2].field(0, 64) == param_of(0, 0));
    CHECK(in[3].field(0, 64) == param_of(0, 1));
    CHECK(in[4].field(0, 64) == param_of(5, 1));
    // weight planes MSB first, lane 0 of row r at bit 4r: row 0 is filter 0 = -3 = 1101b
    // over all four planes; row 1 runs filter 1 = 01b (planes 3, 2), then filter 2 = 11b
    // (planes 1, 0, slot 1's span): plane words 0x01, 0x11, 0x10, 0x11 (row 1 at bit 4)
    CHECK(in[5].field(0, 64) == 0x11'10'11'01u);
    CHECK(in[6].field(0, 64) == 0x0003'0002'0001'0000u);

    // output: the real beats (virtual rows 0, 2, 3) x 4 pixels = 12 values of 4 bits in 8-bit
    // containers, 8 per beat: 2 beats, the last with 4 values
    REQUIRE(program.output_beats.size() == 2);
    CHECK(program.output_last_bytes == 4);
    // filter 0: 12 - 3x = 12, 9, 6, 3; filter 1: x; filter 2: 5 - x = 5, 4, 3, 2
    CHECK(program.output_beats[0].field(0, 64) == 0x03'02'01'00'03'06'09'0cu);
    CHECK(program.output_beats[1].field(0, 64) == 0x02'03'04'05u);
    std::vector<std::int64_t> outputs(12, -1);
    fwmac::unpack_run(program, program.output_beats, 4, outputs);
    CHECK(outputs == std::vector<std::int64_t>{12, 9, 6, 3, 0, 1, 2, 3, 5, 4, 3, 2});
}

TEST_CASE("accel driver: two slots per row, a group without second filters drains R rows", "[accel]") {
    // two 4-bit filters: sharing a row would take 8 planes, one per row takes 4, so no row
    // has a second filter and a tile drains the R slot-0 rows only (virtual rows 0 and 2)
    const fwmac::AccelLayer layer = pointwise_layer({2, -1}, {4, 4}, {0, 6});
    const fwmac::ArrayShape shape = variant_shape(2, false);
    const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, bus32());
    REQUIRE(programs.size() == 1);
    const fwmac::AccelRunProgram& program = programs[0];
    REQUIRE(program.core.schedule.groups.size() == 1);
    CHECK(program.core.schedule.groups[0].second_spans == std::vector<int>{0, 0});
    // header: 4 planes | V = 2 << 4 | spans 0 | beats 0 and 1 real: 0b11 << 13 = 0x6024
    // (32-bit container, one 32-bit beat); 2 parameter words x 2 beats; 4 weight words of 8
    // bits (one beat); 4 activation words of 16 bits (two beats): 1 + 4 + 1 + 2 = 8 beats
    const std::vector<BitVector>& in = program.input_beats;
    REQUIRE(in.size() == 8);
    CHECK(in[0].field(0, 32) == 0x6024u);
    // parameter words of filters 0 and 1, low half first
    CHECK(in[1].field(0, 32) == (param_of(0, 1) & 0xffffffffu));
    CHECK(in[2].field(0, 32) == param_of(0, 1) >> 32);
    CHECK(in[3].field(0, 32) == (param_of(6, 1) & 0xffffffffu));
    CHECK(in[4].field(0, 32) == param_of(6, 1) >> 32);
    // filter 0 = 2 = 0010b at bit 0, filter 1 = -1 = 1111b at bit 4, MSB first:
    // 0x10, 0x10, 0x11, 0x10
    CHECK(in[5].field(0, 32) == 0x10'11'10'10u);
    // outputs: 2x = 0, 2, 4, 6 and 6 - x = 6, 5, 4, 3: 8 values, two 32-bit beats
    REQUIRE(program.output_beats.size() == 2);
    CHECK(program.output_last_bytes == 4);
    CHECK(program.output_beats[0].field(0, 32) == 0x06'04'02'00u);
    CHECK(program.output_beats[1].field(0, 32) == 0x03'04'05'06u);
}

TEST_CASE("accel driver: the bit-parallel array takes one weight word of whole weights per chunk", "[accel]") {
    // filters of 2, 3 and 4 bits stay in layer order on the bit-parallel array: groups
    // {0, 1} and {2} (row 1 padding), each with planes 1
    const fwmac::AccelLayer layer = pointwise_layer({-2, 3, -7}, {2, 3, 4}, {8, 0, 15});
    const fwmac::ArrayShape shape = variant_shape(1, true);
    const std::vector<fwmac::AccelRunProgram> programs = fwmac::pack_layer(layer, shape, bus32());
    REQUIRE(programs.size() == 1);
    const fwmac::AccelRunProgram& program = programs[0];
    REQUIRE(program.core.schedule.groups.size() == 2);
    // header: planes 1 bit (always 1) | V bits_for(2) = 2 | real beats 2 = 5 bits, an 8-bit
    // container: group 0 = 1 | 2 << 1 | 0b11 << 3 = 0x1d, group 1 = 1 | 2 << 1 | 0b01 << 3 = 0x0d
    CHECK(fwmac::header_bits(shape) == 5);
    CHECK(fwmac::weight_beat_width(shape) == 32);
    // group 0: header 1, 2 parameter words x 2 beats, 1 chunk = 1 weight word of R x L x Bmax
    // = 32 bits (1 beat); activations 2 beats; group 1: 1 + 4 + 1: 14 beats
    const std::vector<BitVector>& in = program.input_beats;
    REQUIRE(in.size() == 14);
    CHECK(in[0].field(0, 32) == 0x1du);
    // whole 4-bit two's-complement weights, row r lane l at (r x L + l) x 4: -2 = 0xe at bit
    // 0, 3 at bit 16; padded lanes zero
    CHECK(in[5].field(0, 32) == 0x0003000eu);
    CHECK(in[6].field(0, 32) == 0x00010000u);  // activations: 0 | 1 << 16
    CHECK(in[8].field(0, 32) == 0x0du);
    CHECK(in[9].field(0, 32) == (param_of(15, 1) & 0xffffffffu));
    CHECK(in[11].field(0, 32) == 0u);  // the padding row: zero parameters
    CHECK(in[12].field(0, 32) == (std::uint64_t{1} << 4));  // relu only
    CHECK(in[13].field(0, 32) == 0x9u);  // -7 = 1001b
    // outputs: 8 - 2x = 8, 6, 4, 2; 3x = 0, 3, 6, 9; 15 - 7x = 15, 8, 1, 0 (clamped)
    REQUIRE(program.output_beats.size() == 3);
    CHECK(program.output_beats[0].field(0, 32) == 0x02'04'06'08u);
    CHECK(program.output_beats[1].field(0, 32) == 0x09'06'03'00u);
    CHECK(program.output_beats[2].field(0, 32) == 0x00'01'08'0fu);
    std::vector<std::int64_t> outputs(12, -1);
    fwmac::unpack_run(program, program.output_beats, 4, outputs);
    CHECK(outputs == std::vector<std::int64_t>{8, 6, 4, 2, 0, 3, 6, 9, 15, 8, 1, 0});
}
