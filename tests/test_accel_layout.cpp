// The accelerator's data layout (golden/accel_layout): container and buffer sizes, the
// header and parameter word widths, the run plan (PITCH, PLANE, stripes) and buffer
// indices of hand-worked layers, the bank-conflict-free property of the im2col reads,
// and the channel-innermost GEMM lowering. Expected values are derived by hand in the
// comments from the formulas of docs/accelerator.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden/accel_layout.hpp"
#include "golden/conv.hpp"
#include "golden/shape.hpp"

namespace {

using fwmac::AccelRun;
using fwmac::ArrayShape;
using fwmac::ConvShape;
using fwmac::SystemShape;
using Catch::Matchers::Contains;

ArrayShape shape_of(int rows, int cols, int lanes, int act_bits, int max_weight_bits, int k_max, int row_slots = 1) {
    ArrayShape shape;
    shape.rows = rows;
    shape.cols = cols;
    shape.lanes = lanes;
    shape.act_bits = act_bits;
    shape.max_weight_bits = max_weight_bits;
    shape.k_max = k_max;
    shape.row_slots = row_slots;
    return shape;
}

SystemShape system_of(int act_buffer_kib) {
    SystemShape system;
    system.act_buffer_kib = act_buffer_kib;
    return system;
}

// The buffer index of padded coordinates (jy, jx) = (oy*s + ky, ox*s + kx), as the im2col
// reads it (also for taps in the padding, whose reads are masked).
std::int64_t padded_index(const AccelRun& run, int jy, int jx, int cg) {
    const int s = run.stride;
    return run.plane * ((static_cast<std::int64_t>(jy % s) * s + jx % s) * run.in_groups + cg) +
           static_cast<std::int64_t>(jy / s) * run.pitch + jx / s;
}

}  // namespace

TEST_CASE("accel layout: containers, banks and word widths", "[accel]") {
    CHECK(fwmac::container_bits(1) == 8);
    CHECK(fwmac::container_bits(8) == 8);
    CHECK(fwmac::container_bits(9) == 16);
    CHECK(fwmac::container_bits(20) == 32);
    CHECK(fwmac::container_bits(33) == 64);
    CHECK(fwmac::container_bits(1024) == 1024);

    CHECK(fwmac::act_banks(shape_of(8, 1, 8, 8, 8, 4608)) == 1);
    CHECK(fwmac::act_banks(shape_of(8, 3, 8, 8, 8, 4608)) == 4);
    CHECK(fwmac::act_banks(shape_of(8, 8, 8, 8, 8, 4608)) == 8);
    CHECK(fwmac::act_banks(shape_of(8, 9, 8, 8, 8, 4608)) == 16);

    // default 8x8x8, A = 8, Bmax = 8, K_max = 4608
    const ArrayShape shape = shape_of(8, 8, 8, 8, 8, 4608);
    CHECK(fwmac::act_word_bits(shape) == 64);
    // 256 KiB of 8-byte words = 32768 words, 4096 per bank of 8
    CHECK(fwmac::act_buffer_words(shape, SystemShape{}) == 32768);
    CHECK(fwmac::act_bank_words(shape, SystemShape{}) == 4096);
    // max_chunks 4608 / 8 = 576 x max_tile_planes 8
    CHECK(fwmac::weight_bank_words(shape, SystemShape{}) == 4608);
    SystemShape fixed;
    fixed.weight_buffer_words = 100;
    CHECK(fwmac::weight_bank_words(shape, fixed) == 100);
    // header: planes bits_for(8) = 4 | drain rows bits_for(8) = 4 | real beats 8 = 16 bits
    CHECK(fwmac::header_drain_rows_bits(shape) == 4);
    CHECK(fwmac::header_bits(shape) == 16);
    // ACC_W: -128 * 255 * 4608 = -150405120 needs 29 signed bits; 29 + 16 + 6 + relu = 52
    CHECK(fwmac::param_word_bits(shape) == 52);
    ArrayShape raw = shape;
    raw.raw_outputs = true;
    CHECK(fwmac::param_word_bits(raw) == 53);
    // two slots: planes bits_for(16) = 5 | drain rows bits_for(16) = 5 | spans 8 x 4 | 16 = 58
    CHECK(fwmac::header_bits(shape_of(8, 8, 8, 8, 8, 4608, 2)) == 58);
}

TEST_CASE("accel layout: word widths of the two-slot and bit-parallel shells", "[accel]") {
    // examples/configs/accel_4x4x4_slots2.json: R 4, C 4, L 4, A 4, Bmax 4, K_max 144, two slots
    const ArrayShape slots = shape_of(4, 4, 4, 4, 4, 144, 2);
    // header: planes bits_for(2 x 4) = 4 | V bits_for(8) = 4 | spans 4 x bits_for(4) = 12 |
    // real beats 8 = 28 bits, a 32-bit container
    CHECK(fwmac::header_drain_rows_bits(slots) == 4);
    CHECK(fwmac::header_bits(slots) == 28);
    CHECK(fwmac::container_bits(fwmac::header_bits(slots)) == 32);
    // ACC_W: -8 x 15 x 144 = -17280 needs 16 signed bits; 16 + 16 + 6 + relu = 39
    CHECK(fwmac::param_word_bits(slots) == 39);
    // weight words are plane words (R x L = 16 bits); a group runs up to 2 Bmax = 8 planes of
    // each of the 144 / 4 = 36 chunks: 288 words per bank
    CHECK(fwmac::weight_beat_width(slots) == 16);
    CHECK(fwmac::weight_bank_words(slots, SystemShape{}) == 288);

    // examples/configs/accel_3x5x4_parallel.json: R 3, C 5, L 4, A 6, Bmax 5, K_max 196
    ArrayShape parallel = shape_of(3, 5, 4, 6, 5, 196);
    parallel.architecture = fwmac::Architecture::bit_parallel;
    // header: planes 1 bit (always 1) | V bits_for(3) = 2 | real beats 3 = 6 bits, 8-bit container
    CHECK(fwmac::header_bits(parallel) == 6);
    CHECK(fwmac::container_bits(fwmac::header_bits(parallel)) == 8);
    // ACC_W: -16 x 63 x 196 = -197568 needs 19 signed bits; 19 + 22 + relu = 42
    CHECK(fwmac::param_word_bits(parallel) == 42);
    // one weight word per chunk: R x L whole weights of Bmax bits = 60 bits (64-bit
    // container); 196 / 4 = 49 chunks x 1 plane per bank
    CHECK(fwmac::weight_beat_width(parallel) == 60);
    CHECK(fwmac::container_bits(fwmac::weight_beat_width(parallel)) == 64);
    CHECK(fwmac::weight_bank_words(parallel, SystemShape{}) == 49);
    // 4 KiB of 24-bit words (3 bytes): 1365 words over 8 banks = 170 per bank, 1360 in all
    SystemShape four_kib = system_of(4);
    CHECK(fwmac::act_banks(parallel) == 8);
    CHECK(fwmac::act_bank_words(parallel, four_kib) == 170);
    CHECK(fwmac::act_buffer_words(parallel, four_kib) == 1360);
}

TEST_CASE("accel layout: which convolutions the hardware im2col takes", "[accel]") {
    std::string why;
    ConvShape conv(3, 8, 8, 3, 1, 1, 4);
    CHECK(fwmac::hardware_im2col(conv, &why));
    ConvShape strided = conv;
    strided.stride_w = 2;
    CHECK_FALSE(fwmac::hardware_im2col(strided, &why));
    CHECK(why == "the stride differs between the axes");
    ConvShape stride5(3, 20, 20, 7, 5, 1, 4);
    CHECK_FALSE(fwmac::hardware_im2col(stride5, &why));
    CHECK(why == "the stride is outside 1..4");
    ConvShape dilated = conv;
    dilated.dilation_h = 2;
    CHECK_FALSE(fwmac::hardware_im2col(dilated, &why));
    CHECK(why == "the kernel is dilated");
    ConvShape big(3, 20, 20, 8, 1, 1, 4);
    CHECK_FALSE(fwmac::hardware_im2col(big, &why));
    CHECK(why == "the kernel is larger than 7");
    ConvShape padded(3, 20, 20, 3, 1, 3, 4);
    CHECK_FALSE(fwmac::hardware_im2col(padded, &why));
    CHECK(why == "the padding is not smaller than the kernel");
    REQUIRE_THROWS_WITH(fwmac::plan_runs(padded, shape_of(2, 4, 4, 8, 4, 64), SystemShape{}),
                        Contains("no hardware im2col: the padding is not smaller than the kernel"));
}

TEST_CASE("accel layout: one run of a 5x5 layer, stride 1", "[accel]") {
    // C = 4 (NB = 4), L = 4: Cin = 3 is one channel group. 3x3, pad 1: OH = OW = 5.
    const ArrayShape shape = shape_of(2, 4, 4, 8, 4, 64);
    const ConvShape conv(3, 5, 5, 3, 1, 1, 2);
    const std::vector<AccelRun> runs = fwmac::plan_runs(conv, shape, SystemShape{});
    REQUIRE(runs.size() == 1);
    const AccelRun& run = runs[0];
    CHECK(run.out_row0 == 0);
    CHECK(run.in_row0 == 0);
    CHECK(run.in_height == 5);
    CHECK(run.in_width == 5);
    CHECK(run.in_groups == 1);
    CHECK(run.out_height == 5);
    CHECK(run.out_width == 5);
    CHECK(run.pad_top == 1);
    CHECK(run.pad_left == 1);
    // plane width ceil(6 / 1) = 6; the smallest PITCH >= 6 with PITCH = 5 (mod 4) is 9
    CHECK(run.pitch == 9);
    // 6 plane rows x 9 = 54, rounded up to a multiple of 4
    CHECK(run.plane == 56);
    CHECK(run.buffer_words() == 56);
    CHECK(run.act_words == 25);
    CHECK(run.pixels == 25);
    CHECK(run.chunks == 9);
    CHECK(run.tile_step_x == 4);
    CHECK(run.tile_step_y == 0);
    // (iy, ix) = (0, 0) at padded (1, 1): 1 x 9 + 1; (4, 4) at (5, 5): 5 x 9 + 5
    CHECK(fwmac::act_word_index(run, 0, 0, 0) == 10);
    CHECK(fwmac::act_word_index(run, 4, 4, 0) == 50);
}

TEST_CASE("accel layout: one run of a 7x7 layer, stride 2, two channel groups", "[accel]") {
    // Cin = 5, L = 4: CG = 2. 3x3, s = 2, pad 1: OH = OW = (7 + 2 - 3) / 2 + 1 = 4.
    const ArrayShape shape = shape_of(2, 4, 4, 8, 4, 128);
    const ConvShape conv(5, 7, 7, 3, 2, 1, 2);
    const std::vector<AccelRun> runs = fwmac::plan_runs(conv, shape, SystemShape{});
    REQUIRE(runs.size() == 1);
    const AccelRun& run = runs[0];
    CHECK(run.in_height == 7);
    CHECK(run.in_groups == 2);
    CHECK(run.out_width == 4);
    // plane width ceil(8 / 2) = 4 = OW (mod 4): PITCH 4; plane rows ceil(8 / 2) = 4: PLANE 16
    CHECK(run.pitch == 4);
    CHECK(run.plane == 16);
    // 2 x 2 phases x 2 groups x 16
    CHECK(run.buffer_words() == 128);
    CHECK(run.act_words == 98);
    CHECK(run.chunks == 18);
    // C = 4 = OW: a tile is one output row
    CHECK(run.tile_step_x == 0);
    CHECK(run.tile_step_y == 1);
    // (0, 0, 0): padded (1, 1), phase (1, 1), plane 3 x 2 + 0 = 6: 96 + 0 x 4 + 0
    CHECK(fwmac::act_word_index(run, 0, 0, 0) == 96);
    // (1, 2, 1): padded (2, 3), phase (0, 1), plane 1 x 2 + 1 = 3: 48 + 1 x 4 + 1
    CHECK(fwmac::act_word_index(run, 1, 2, 1) == 53);
    // (6, 6, 1): padded (7, 7), phase (1, 1), plane 7: 112 + 3 x 4 + 3, the last word
    CHECK(fwmac::act_word_index(run, 6, 6, 1) == 127);

    // every input word has its own index inside the buffer
    std::set<std::int64_t> indices;
    for (int iy = 0; iy < run.in_height; ++iy) {
        for (int ix = 0; ix < run.in_width; ++ix) {
            for (int cg = 0; cg < run.in_groups; ++cg) {
                const std::int64_t q = fwmac::act_word_index(run, iy, ix, cg);
                CHECK(q >= 0);
                CHECK(q < run.buffer_words());
                indices.insert(q);
            }
        }
    }
    CHECK(static_cast<std::int64_t>(indices.size()) == run.act_words);
}

TEST_CASE("accel layout: a layer too big for the buffer runs in stripes of output rows", "[accel]") {
    // C = 4, L = 4, A = 8: 4-byte words, 1 KiB = 256 words. Cin = 4, 16x16, 3x3, pad 1:
    // PITCH = 17 + 3 = 20 (20 = 16 mod 4). A top stripe of n rows holds n + 1 input rows
    // plus the pad row: 20 (n + 2) <= 256 for n <= 10, so the plan takes 2 stripes of 8.
    const ArrayShape shape = shape_of(2, 4, 4, 8, 4, 64);
    const ConvShape conv(4, 16, 16, 3, 1, 1, 3);
    const std::vector<AccelRun> runs = fwmac::plan_runs(conv, shape, system_of(1));
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].out_row0 == 0);
    CHECK(runs[0].out_height == 8);
    CHECK(runs[0].in_row0 == 0);
    CHECK(runs[0].in_height == 9);  // input rows 0..8
    CHECK(runs[0].pad_top == 1);
    CHECK(runs[0].pitch == 20);
    CHECK(runs[0].plane == 200);  // 10 plane rows
    CHECK(runs[0].act_words == 144);
    CHECK(runs[0].pixels == 128);
    CHECK(runs[1].out_row0 == 8);
    CHECK(runs[1].out_height == 8);
    CHECK(runs[1].in_row0 == 7);  // output row 8 reads input rows 7..9
    CHECK(runs[1].in_height == 9);  // input rows 7..15
    CHECK(runs[1].pad_top == 0);
    CHECK(runs[1].plane == 180);
    for (const AccelRun& run : runs) CHECK(run.buffer_words() <= 256);

    // one output row of a 100-wide layer needs 3 plane rows of PITCH 104: 312 > 256
    const ConvShape wide(4, 8, 100, 3, 1, 1, 3);
    REQUIRE_THROWS_WITH(fwmac::plan_runs(wide, shape, system_of(1)),
                        Contains("one output row of the layer needs 312 activation buffer words, the buffer holds 256"));
}

TEST_CASE("accel layout: the C reads of every tile and chunk hit C different banks", "[accel]") {
    // PITCH = OW (mod NB) makes a tile's reads a rotation (docs/accelerator.md); checked
    // for strides 1..4, widths below, at and above C, and C not a power of two.
    struct Case {
        int cols, height, width, kernel, stride, padding, channels;
    };
    const std::vector<Case> cases = {{4, 5, 5, 3, 1, 1, 3},  {3, 9, 2, 3, 1, 1, 5},  {8, 11, 13, 5, 2, 2, 9},
                                     {5, 12, 7, 7, 3, 3, 4}, {16, 9, 9, 3, 4, 1, 8}, {2, 6, 1, 1, 1, 0, 1}};
    for (const Case& c : cases) {
        const ArrayShape shape = shape_of(2, c.cols, 4, 8, 4, 4096);
        const ConvShape conv(c.channels, c.height, c.width, c.kernel, c.stride, c.padding, 2);
        INFO("C " << c.cols << " " << c.height << "x" << c.width << " k " << c.kernel << " s " << c.stride);
        const std::vector<AccelRun> runs = fwmac::plan_runs(conv, shape, SystemShape{});
        REQUIRE(runs.size() == 1);
        const AccelRun& run = runs[0];
        const int banks = fwmac::act_banks(shape);
        CHECK((run.pitch - run.out_width) % banks == 0);
        CHECK(run.plane % banks == 0);
        for (std::int64_t p0 = 0; p0 < run.pixels; p0 += c.cols) {
            for (int ky = 0; ky < run.kernel_h; ++ky) {
                for (int kx = 0; kx < run.kernel_w; ++kx) {
                    for (int cg = 0; cg < run.in_groups; ++cg) {
                        std::set<std::int64_t> used;
                        for (int col = 0; col < c.cols && p0 + col < run.pixels; ++col) {
                            const int oy = static_cast<int>((p0 + col) / run.out_width);
                            const int ox = static_cast<int>((p0 + col) % run.out_width);
                            const std::int64_t q =
                                padded_index(run, oy * run.stride + ky, ox * run.stride + kx, cg);
                            used.insert(q % banks);
                        }
                        CHECK(static_cast<std::int64_t>(used.size()) == std::min<std::int64_t>(c.cols, run.pixels - p0));
                    }
                }
            }
        }
    }
}

TEST_CASE("accel layout: the GEMM of a run orders K channel-innermost, channels padded to L", "[accel]") {
    const ArrayShape shape = shape_of(2, 4, 4, 8, 4, 64);
    // 2 channels, 2x2 image, 2x2 kernel, no padding: one output pixel, K = 4 taps x 4 lanes
    const ConvShape conv(2, 2, 2, 2, 1, 0, 1);
    std::vector<std::int64_t> weights(8), image(8);
    for (int c = 0; c < 2; ++c) {
        for (int y = 0; y < 2; ++y) {
            for (int x = 0; x < 2; ++x) {
                weights[static_cast<std::size_t>((c * 2 + y) * 2 + x)] = 10 * c + 2 * y + x + 1;  // 1 2 3 4, 11 12 13 14
                image[static_cast<std::size_t>((c * 2 + y) * 2 + x)] = 100 * c + 10 * y + x + 1;  // 1 2 11 12, 101 ...
            }
        }
    }
    const std::vector<AccelRun> runs = fwmac::plan_runs(conv, shape, SystemShape{});
    REQUIRE(runs.size() == 1);
    const fwmac::GemmLayer gemm = fwmac::accel_gemm(conv, runs[0], weights, image, {5}, {fwmac::RequantParams{}},
                                                    fwmac::OutputMode{}, shape.lanes);
    REQUIRE(gemm.depth == 16);
    REQUIRE(gemm.pixels == 1);
    // k = (ky * 2 + kx) * 4 + channel
    const std::vector<std::int64_t> expected_weights = {1, 11, 0, 0, 2, 12, 0, 0, 3, 13, 0, 0, 4, 14, 0, 0};
    const std::vector<std::int64_t> expected_acts = {1, 101, 0, 0, 2, 102, 0, 0, 11, 111, 0, 0, 12, 112, 0, 0};
    CHECK(gemm.weights == expected_weights);
    CHECK(gemm.activations == expected_acts);

    // a second stripe reads from its own first output row on: 16x16, 3x3, pad 1 in 2 runs
    const ConvShape tall(4, 16, 16, 3, 1, 1, 1);
    std::vector<std::int64_t> tall_image(4 * 16 * 16), tall_weights(4 * 9, 1);
    for (std::size_t i = 0; i < tall_image.size(); ++i) tall_image[i] = static_cast<std::int64_t>(i % 251);
    const std::vector<AccelRun> stripes = fwmac::plan_runs(tall, shape, system_of(1));
    REQUIRE(stripes.size() == 2);
    const fwmac::GemmLayer second = fwmac::accel_gemm(tall, stripes[1], tall_weights, tall_image, {2},
                                                      {fwmac::RequantParams{}}, fwmac::OutputMode{}, shape.lanes);
    REQUIRE(second.pixels == 128);
    // pixel 0 of stripe 1 is output (8, 0); tap (0, 1) reads input (7, 0): k = 1 x 4 + l
    for (int l = 0; l < 4; ++l) {
        CHECK(second.activation(4 + l, 0) == tall_image[static_cast<std::size_t>((l * 16 + 7) * 16 + 0)]);
    }
    // tap (0, 0) of output (8, 0) is in the left padding
    for (int l = 0; l < 4; ++l) CHECK(second.activation(l, 0) == 0);
    // the last pixel (15, 15), tap (2, 2) is in the bottom-right padding, tap (1, 1) is (15, 15)
    for (int l = 0; l < 4; ++l) {
        CHECK(second.activation(8 * 4 + l, 127) == 0);
        CHECK(second.activation(4 * 4 + l, 127) == tall_image[static_cast<std::size_t>((l * 16 + 15) * 16 + 15)]);
    }
}
