#include "golden/activity.hpp"

#include <algorithm>

namespace fwmac {

ActivityCounts count_activity(const Schedule& schedule) {
    ActivityCounts activity;
    const auto groups = static_cast<std::uint64_t>(drain_groups(schedule.shape));
    for (std::size_t i = 0; i < schedule.tiles.size(); ++i) {
        const auto chunks = static_cast<std::uint64_t>(schedule.chunks);
        const RowGroup& group = schedule.groups.at(static_cast<std::size_t>(schedule.tiles[i].group));
        activity.plane_cycles += tile_issue_cycles(schedule, i);
        activity.activation_loads += chunks;
        activity.commits += chunks;  // every chunk's last plane (bit-parallel: every chunk)
        const auto second_rows = static_cast<std::uint64_t>(
            std::count_if(group.second_spans.begin(), group.second_spans.end(), [](int span) { return span != 0; }));
        activity.first_span_commits += chunks * second_rows;
        const std::uint64_t rows = tile_drain_rows(schedule, i);
        activity.drain_loads += 1;
        activity.drain_shifts += rows;
        activity.requant_cycles += rows * groups;
    }
    return activity;
}

}  // namespace fwmac
