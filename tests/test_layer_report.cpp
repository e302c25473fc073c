// What `fwmac schedule --json` and `fwmac sim --out/--json` write (generator/analysis/
// layer_report): the full schedule on hand-derived cases, the output array's shape.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "generator/analysis/layer_report.hpp"

using nlohmann::json;

namespace {

fwmac::ArrayShape small_array(int rows, int cols, int lanes, int row_slots, int max_bits) {
    fwmac::ArrayShape shape;
    shape.rows = rows;
    shape.cols = cols;
    shape.lanes = lanes;
    shape.row_slots = row_slots;
    shape.max_weight_bits = max_bits;
    shape.k_max = 64;
    return shape;
}

}  // namespace

TEST_CASE("layer report: the schedule of five filters on two rows, worked by hand", "[layer_report]") {
    // b = [3, 1, 4, 1, 5]; stable sort by bits: 1(1) 3(1) 0(3) 2(4) 4(5). Groups are cut
    // from the widest, so the partial group (5 % 2 = 1 filter) is the narrowest:
    // [1] b_g 1, [3 0] b_g 3, [2 4] b_g 5. K = 6 on 4 lanes: 2 chunks. P = 3 on 2
    // columns: tiles of 2 and 1 pixels per group, group-major.
    const std::vector<int> bits{3, 1, 4, 1, 5};
    const fwmac::ArrayShape shape = small_array(2, 2, 4, 1, 8);
    const fwmac::Schedule schedule = fwmac::make_schedule(bits, 6, 3, shape);
    const json report = fwmac::schedule_json(schedule, bits, fwmac::FilterOrder::by_bits);
    CHECK(report.at("order") == "by_bits");
    CHECK(report.at("chunks") == 2);
    const json& groups = report.at("groups");
    REQUIRE(groups.size() == 3);
    CHECK(groups[0] == json{{"group", 0}, {"planes", 1}, {"filters", {1, nullptr}}, {"bits", {1, nullptr}},
                            {"spans", {1, 0}}});
    CHECK(groups[1] == json{{"group", 1}, {"planes", 3}, {"filters", {3, 0}}, {"bits", {1, 3}}, {"spans", {3, 3}}});
    CHECK(groups[2] == json{{"group", 2}, {"planes", 5}, {"filters", {2, 4}}, {"bits", {4, 5}}, {"spans", {5, 5}}});
    const json& tiles = report.at("tiles");
    REQUIRE(tiles.size() == 6);
    const int issue[] = {2, 2, 6, 6, 10, 10};  // chunks * b_g
    for (int t = 0; t < 6; ++t) {
        CAPTURE(t);
        CHECK(tiles[t] == json{{"tile", t},
                               {"group", t / 2},
                               {"pixel_start", t % 2 == 0 ? 0 : 2},
                               {"pixel_count", t % 2 == 0 ? 2 : 1},
                               {"issue_cycles", issue[t]},
                               {"drain_rows", 2}});
    }
    // in layer order: groups [0 1] b_g 3 and [2 3] b_g 4, [4] b_g 5 (the last one partial)
    const fwmac::Schedule unsorted = fwmac::make_schedule(bits, 6, 3, shape, fwmac::FilterOrder::original);
    const json original = fwmac::schedule_json(unsorted, bits, fwmac::FilterOrder::original);
    CHECK(original.at("order") == "original");
    CHECK(original.at("groups")[0].at("filters") == json{0, 1});
    CHECK(original.at("groups")[2].at("filters") == json{4, nullptr});
    CHECK(original.at("groups")[2].at("planes") == 5);
}

TEST_CASE("layer report: a two-slot row holds the two 2-bit filters", "[layer_report]") {
    // b = [4, 2, 2] on 2 rows, K = 40 on 4 lanes (10 chunks), one pixel; D = 2, one
    // requantizer for the one column (G = 1), S = 4 requant stages. Sorted one per row:
    // groups [1] (2 planes) and [2 0] (4 planes): (20 + 2) + 40 + (2 + 4 + 2) = 70 cycles.
    // Two slots: one group of 4 planes, rows (0) and (1|2) split 2 + 2, draining 4
    // virtual rows: (40 + 2) + (4 + 4 + 2) = 52 cycles, so make_schedule keeps it.
    const std::vector<int> bits{4, 2, 2};
    const fwmac::ArrayShape shape = small_array(2, 1, 4, 2, 4);
    const fwmac::Schedule schedule = fwmac::make_schedule(bits, 40, 1, shape);
    REQUIRE(fwmac::predict_cycles(schedule, bits).total == 52);
    const json report = fwmac::schedule_json(schedule, bits, fwmac::FilterOrder::by_bits);
    REQUIRE(report.at("groups").size() == 1);
    const json& group = report.at("groups")[0];
    CHECK(group.at("planes") == 4);
    REQUIRE(group.at("filters").size() == 4);  // 2 rows x 2 slots
    std::set<std::pair<int, int>> placed;      // (filter, span) of every occupied virtual row
    int row_of_1 = -1, row_of_2 = -1;
    for (int v = 0; v < 4; ++v) {
        const json& filter = group.at("filters")[v];
        if (filter.is_null()) {
            CHECK(group.at("spans")[v] == 0);
            continue;
        }
        placed.insert({filter.get<int>(), group.at("spans")[v].get<int>()});
        if (filter == 1) row_of_1 = v / 2;
        if (filter == 2) row_of_2 = v / 2;
    }
    CHECK(placed == std::set<std::pair<int, int>>{{0, 4}, {1, 2}, {2, 2}});
    CHECK(row_of_1 == row_of_2);
    std::vector<int> second_spans = group.at("second_spans").get<std::vector<int>>();
    std::sort(second_spans.begin(), second_spans.end());
    CHECK(second_spans == std::vector<int>{0, 2});
    CHECK(report.at("tiles")[0].at("drain_rows") == 4);
    CHECK(report.at("tiles")[0].at("issue_cycles") == 40);
}

TEST_CASE("layer report: the output array is [F, OH, OW], or [F, P] with pixel_limit", "[layer_report]") {
    const json conv{{"in_channels", 1}, {"height", 5}, {"width", 4}, {"kernel", {2, 3}}, {"out_channels", 3}};
    json file{{"conv", conv}, {"weight_bits", {2, 3, 4}}, {"seed", 4}, {"output", "signed"}};
    const fwmac::ArrayShape shape = small_array(2, 2, 4, 1, 8);
    auto outputs_of = [&](const json& layer_json) {
        const fwmac::LayerFile layer = fwmac::parse_layer_json(layer_json, shape);
        const fwmac::Schedule schedule =
            fwmac::make_schedule(layer.layer.weight_bits, layer.layer.depth, layer.layer.pixels, shape);
        return std::make_pair(layer, fwmac::run_array_model(layer.layer, schedule));
    };
    const auto [full, full_result] = outputs_of(file);
    const fwmac::NpyArray array = fwmac::output_array(full, full_result);
    CHECK(array.type == fwmac::NpyType::int64);
    CHECK(array.shape == std::vector<std::size_t>{3, 4, 2});  // (5 - 2) + 1 rows, (4 - 3) + 1 columns
    CHECK(array.integers == full_result.outputs);
    file["pixel_limit"] = 5;
    const auto [cropped, cropped_result] = outputs_of(file);
    const fwmac::NpyArray first = fwmac::output_array(cropped, cropped_result);
    CHECK(first.shape == std::vector<std::size_t>{3, 5});
    for (int f = 0; f < 3; ++f) {  // the same values as the full layer's first 5 pixels
        for (int p = 0; p < 5; ++p) CHECK(first.integers[f * 5 + p] == full_result.outputs[f * 8 + p]);
    }
    const json summary = fwmac::sim_summary(cropped, shape, cropped_result, true,
                                            fwmac::predict_cycles(fwmac::make_schedule({2, 3, 4}, 6, 5, shape),
                                                                  {2, 3, 4}));
    CHECK(summary.at("outputs") == 15);
    CHECK(summary.at("output_shape") == json{3, 5});
    CHECK(summary.at("mode") == "signed");
}
