#include "golden/row_packing.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace fwmac {
namespace {

constexpr int kMaxBitsLimit = 32;
constexpr long long kInfinite = std::numeric_limits<long long>::max() / 4;

// Filters with equal bits are interchangeable, so the search works on a histogram
// (count[b] = filters of b bits, b = 1..max_bits) and its cost does not grow with F;
// only the final layout names filter indices.
using Histogram = std::vector<int>;

// `count` rows, each holding one filter of `wide` bits and, if narrow > 0, one of `narrow` bits.
struct RowRun {
    int wide = 0;
    int narrow = 0;
    long long count = 0;
};

struct GroupPlan {
    int planes = 0;
    std::vector<RowRun> runs;
};

using Plan = std::vector<GroupPlan>;

enum class Rule { widest_head, fullest_row };

struct FillResult {
    long long rows = 0;
    long long filters = 0;
    long long bits = 0;
};

struct HistogramStats {
    long long filters = 0;
    long long bits = 0;
    int widest = 0;
};

HistogramStats stats_of(const Histogram& h) {
    HistogramStats s;
    for (int b = 1; b < static_cast<int>(h.size()); ++b) {
        s.filters += h[b];
        s.bits += static_cast<long long>(b) * h[b];
        if (h[b] > 0) s.widest = b;
    }
    return s;
}

long long ceil_div(long long a, long long b) { return (a + b - 1) / b; }

long long plan_filters(const Plan& plan) {
    long long n = 0;
    for (const GroupPlan& g : plan) {
        for (const RowRun& r : g.runs) n += r.narrow > 0 ? 2 * r.count : r.count;
    }
    return n;
}

long long plan_cost(const Plan& plan) {
    long long cost = 0;
    for (const GroupPlan& g : plan) cost += g.planes;
    return cost;
}

class Packer {
public:
    Packer(int rows, int max_bits) : rows_(rows), max_bits_(max_bits) {}

    // Row rules reduced to bit counts (see make_row for the spans that realise them):
    // a pair needs a + b <= T, T >= 3 (slot 1 takes >= 2 planes, slot 0 >= 1) and
    // T <= 2 * max_bits; both spans then fit in max_bits.
    bool pairs_allowed(int planes) const { return planes >= 3 && planes <= 2 * max_bits_; }
    // A lone filter spans all T planes while T <= max_bits; beyond that the row must
    // still be split (slot 0 <= max_bits), leaving an empty slot-1 span of >= 2 planes.
    bool single_fits(int bits, int planes) const {
        if (bits > planes) return false;
        return planes <= max_bits_ || (bits + 2 <= planes && planes <= 2 * max_bits_);
    }

    // Fills up to `budget` rows at T = planes from `h` (removing what it places).
    // widest_head: the widest remaining filter heads the next row and takes the widest
    // remaining partner that still fits. For one common T this is the classic optimal
    // rule for bins of at most two items (it minimises the row count); it also keeps
    // the wide filters, which only fit large T, in the groups that pay for a large T.
    // fullest_row: the next row is the pair (or lone filter) covering the most bits,
    // the narrowest head on a tie. It mixes row types that widest_head would repeat,
    // e.g. T = 4 over {3,3,2,2,2,1,1}: (2|2)(3|1) rather than (3|1)(3|1).
    FillResult fill(Histogram& h, int planes, long long budget, std::vector<RowRun>* out,
                    Rule rule = Rule::widest_head) const {
        FillResult result;
        const bool pairs = pairs_allowed(planes);
        // Widest partner of head a still in `h` with a + b <= T and b <= limit (0: none).
        const auto partner = [&](int a, int limit) {
            if (!pairs) return 0;
            for (int v = std::min({max_bits_, planes - a, limit}); v >= 1; --v) {
                if (h[v] - (v == a ? 1 : 0) > 0) return v;
            }
            return 0;
        };
        const auto place = [&](int a, int b, long long k) {
            k = std::min(k, budget - result.rows);
            h[a] -= static_cast<int>(k);
            if (b > 0) h[b] -= static_cast<int>(k);
            result.rows += k;
            result.filters += b > 0 ? 2 * k : k;
            result.bits += (a + b) * k;
            if (out) out->push_back(RowRun{std::max(a, b), std::min(a, b), k});
        };
        const auto batch = [&](int a, int b) -> long long {
            if (b == 0) return h[a];
            return b == a ? h[a] / 2 : std::min(h[a], h[b]);
        };
        if (rule == Rule::fullest_row) {
            while (result.rows < budget) {
                int best_a = 0, best_b = 0;
                for (int a = 1; a <= std::min(planes, max_bits_); ++a) {
                    if (h[a] == 0) continue;
                    const int b = partner(a, a);  // b <= a: each pair is seen once, by its wider member
                    if (b == 0 && !single_fits(a, planes)) continue;
                    if (a + b > best_a + best_b) {
                        best_a = a;
                        best_b = b;
                    }
                }
                if (best_a == 0) break;
                place(best_a, best_b, batch(best_a, best_b));
            }
            return result;
        }
        for (int a = std::min(planes, max_bits_); a >= 1 && result.rows < budget; --a) {
            while (h[a] > 0 && result.rows < budget) {
                const int b = partner(a, max_bits_);
                if (b == 0 && !single_fits(a, planes)) break;  // too wide to sit alone here and no partner left
                place(a, b, batch(a, b));
            }
        }
        return result;
    }

    // Least T at which all of `h` fits one group of R rows (0: it does not fit).
    int one_group_planes(const Histogram& h, std::vector<RowRun>* out) const {
        const HistogramStats s = stats_of(h);
        if (s.filters == 0 || s.filters > 2LL * rows_) return 0;
        long long low = std::max<long long>(s.widest, ceil_div(s.bits, rows_));
        if (s.filters > rows_) low = std::max<long long>(low, 3);
        for (long long planes = low; planes <= 2LL * max_bits_; ++planes) {
            Histogram copy = h;
            const int t = static_cast<int>(planes);
            if (fill(copy, t, rows_, nullptr).filters == s.filters) {
                if (out) {
                    out->clear();
                    copy = h;
                    fill(copy, t, rows_, out);
                }
                return t;
            }
        }
        return 0;
    }

    // Cost of packing all of `h` with every group at T = planes except the last, which
    // takes the least T fitting what is left. The row sequence of repeated group fills
    // at one T equals one long fill cut every R rows, so g full groups are one fill.
    // The last group is tried after the ceil(n/R)-1 full groups and one earlier, where
    // up to 2R rows' filters may still fit one group at a larger T.
    long long complete_at(const Histogram& h, int planes, Plan* out) const {
        const HistogramStats s = stats_of(h);
        if (s.filters == 0) return 0;
        Histogram copy = h;
        const FillResult all = fill(copy, planes, kInfinite, nullptr);
        if (all.filters < s.filters) return kInfinite;
        long long best = kInfinite;
        long long best_full = -1;
        const long long last_full = ceil_div(all.rows, rows_) - 1;
        for (long long full = last_full; full >= std::max(0LL, last_full - 1); --full) {
            copy = h;
            fill(copy, planes, full * rows_, nullptr);
            const int last = one_group_planes(copy, nullptr);
            if (last == 0) continue;
            const long long cost = full * planes + last;
            if (cost < best) {
                best = cost;
                best_full = full;
            }
        }
        if (out && best_full >= 0) {
            out->clear();
            copy = h;
            std::vector<RowRun> runs;
            fill(copy, planes, best_full * rows_, &runs);
            append_groups(runs, planes, out);
            GroupPlan last;
            last.planes = one_group_planes(copy, &last.runs);
            out->push_back(std::move(last));
        }
        return best;
    }

    // Best single-T completion (candidate (c): one common T, last group shrunk).
    long long complete(const Histogram& h, Plan* out) const {
        const HistogramStats s = stats_of(h);
        if (s.filters == 0) return 0;
        long long best = kInfinite;
        int best_planes = 0;
        for (int planes = s.widest; planes <= 2 * max_bits_; ++planes) {
            const long long cost = complete_at(h, planes, nullptr);
            if (cost < best) {
                best = cost;
                best_planes = planes;
            }
        }
        if (out && best_planes > 0) complete_at(h, best_planes, out);
        return best;
    }

    // Group-by-group construction with lookahead: every candidate T for the next group
    // is scored by its planes plus the best single-T completion of what it leaves, so
    // T is chosen for its effect on the final total rather than for local density.
    // Layers with many groups commit several groups per step to bound the work.
    Plan lookahead(const Histogram& h) const {
        Plan plan;
        Histogram left = h;
        const long long step = std::max(1LL, ceil_div(stats_of(h).filters, rows_) / 32);
        while (stats_of(left).filters > 0) {
            long long best = kInfinite;
            double best_density = -1.0;
            int best_planes = 0;  // 0: finish with one group
            Rule best_rule = Rule::widest_head;
            std::vector<RowRun> finish;
            const int last = one_group_planes(left, &finish);
            if (last > 0) {
                best = last;
                best_density = 2.0;  // wins ties: one group is never worse than a split
            }
            for (int planes = 1; planes <= 2 * max_bits_; ++planes) {
                for (const Rule rule : {Rule::widest_head, Rule::fullest_row}) {
                    Histogram rest = left;
                    const FillResult placed = fill(rest, planes, step * rows_, nullptr, rule);
                    if (placed.filters == 0) continue;
                    const long long groups = ceil_div(placed.rows, rows_);
                    const long long tail = complete(rest, nullptr);
                    if (tail >= kInfinite) continue;
                    const long long score = groups * planes + tail;
                    const double density =
                        static_cast<double>(placed.bits) / (static_cast<double>(groups) * planes * rows_);
                    if (score < best || (score == best && density > best_density)) {
                        best = score;
                        best_density = density;
                        best_planes = planes;
                        best_rule = rule;
                    }
                }
            }
            if (best_planes == 0) {
                if (last == 0) break;  // unreachable: a lone row always fits T = its bits
                plan.push_back(GroupPlan{last, std::move(finish)});
                break;
            }
            std::vector<RowRun> runs;
            fill(left, best_planes, step * rows_, &runs, best_rule);
            append_groups(runs, best_planes, &plan);
        }
        return plan;
    }

    // Sorted single-slot layout: bits descending, cut into groups of R; T = group maximum.
    Plan sorted_single(const Histogram& h) const {
        Plan plan;
        long long in_group = 0;
        for (int b = max_bits_; b >= 1; --b) {
            long long n = h[b];
            while (n > 0) {
                if (in_group == 0) plan.push_back(GroupPlan{b, {}});
                const long long k = std::min(n, rows_ - in_group);
                plan.back().runs.push_back(RowRun{b, 0, k});
                n -= k;
                in_group = (in_group + k) % rows_;
            }
        }
        return plan;
    }

    // A group filled at some T may have room to spare (partial or loosely paired):
    // re-pack its own filters at the least T that still holds them.
    void tighten(Plan& plan) const {
        for (GroupPlan& g : plan) {
            std::vector<RowRun> runs;
            const int planes = one_group_planes(histogram_of(g), &runs);
            if (planes > 0 && planes < g.planes) g = GroupPlan{planes, std::move(runs)};
        }
    }

    // Local search over the chosen layout: move one filter of width u from group i to
    // group j, optionally taking one of width v back, whenever the two groups re-packed
    // need fewer planes together. The constructions fill one group at a time and cannot
    // revisit a group; e.g. R = 3, Bmax = 5, bits {5,4,3,3,3,2,2,2,2,1} (bound 9) they
    // end at 10 planes, exchanges reach (4)(1|3)(2|2) at T = 4 + (5)(3|2)(3|2) at T = 5.
    // Work is counted in steps, not time, so the result stays deterministic; it stops
    // early at the lower bound ceil(sum / R).
    void improve(Plan& plan, long long bound) const {
        struct Group {
            Histogram h;
            HistogramStats s;
            int planes = 0;
            bool changed = false;
        };
        std::vector<Group> groups;
        long long total = 0;
        for (const GroupPlan& g : plan) {
            Group group;
            group.h = histogram_of(g);
            group.s = stats_of(group.h);
            group.planes = g.planes;
            total += g.planes;
            groups.push_back(std::move(group));
        }
        long long work = 0;
        const long long work_limit = 1000000;
        const int n = static_cast<int>(groups.size());
        bool improved = true;
        while (improved && total > bound && work < work_limit) {
            improved = false;
            for (int i = 0; i < n && !improved && work < work_limit; ++i) {
                for (int j = 0; j < n && !improved && work < work_limit; ++j) {
                    Group& gi = groups[i];
                    Group& gj = groups[j];
                    ++work;
                    if (i == j || gi.s.filters == 0) continue;
                    const long long before = gi.planes + gj.planes;
                    for (int u = 1; u <= max_bits_ && !improved; ++u) {
                        if (gi.h[u] == 0) continue;
                        for (int v = 0; v <= max_bits_ && !improved; ++v) {
                            if (v == u || (v > 0 && gj.h[v] == 0)) continue;
                            ++work;
                            // Cheap bounds first: j must stay within 2R filters and
                            // both groups need at least ceil(bits / R) planes.
                            const long long fi = gi.s.filters - 1 + (v > 0), fj = gj.s.filters + 1 - (v > 0);
                            if (fj > 2 * rows_) continue;
                            const long long bi = gi.s.bits - u + v, bj = gj.s.bits + u - v;
                            if (ceil_div(bi, rows_) + std::max<long long>(u, ceil_div(bj, rows_)) >= before) continue;
                            work += 64;
                            Histogram hi = gi.h, hj = gj.h;
                            --hi[u];
                            ++hj[u];
                            if (v > 0) {
                                ++hi[v];
                                --hj[v];
                            }
                            const int ti = fi == 0 ? 0 : one_group_planes(hi, nullptr);
                            const int tj = one_group_planes(hj, nullptr);
                            if ((fi > 0 && ti == 0) || tj == 0 || ti + tj >= before) continue;
                            total -= before - (ti + tj);
                            gi = Group{std::move(hi), {}, ti, true};
                            gi.s = stats_of(gi.h);
                            gj = Group{std::move(hj), {}, tj, true};
                            gj.s = stats_of(gj.h);
                            improved = true;
                        }
                    }
                }
            }
        }
        Plan result;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            if (!groups[g].changed) {
                result.push_back(std::move(plan[g]));
            } else if (groups[g].s.filters > 0) {
                GroupPlan repacked;
                repacked.planes = one_group_planes(groups[g].h, &repacked.runs);
                result.push_back(std::move(repacked));
            }
        }
        plan = std::move(result);
    }

private:
    Histogram histogram_of(const GroupPlan& g) const {
        Histogram h(max_bits_ + 1, 0);
        for (const RowRun& r : g.runs) {
            h[r.wide] += static_cast<int>(r.count);
            if (r.narrow > 0) h[r.narrow] += static_cast<int>(r.count);
        }
        return h;
    }

    // Cuts a row sequence into groups of R rows at T = planes.
    void append_groups(const std::vector<RowRun>& runs, int planes, Plan* out) const {
        long long in_group = 0;
        for (RowRun run : runs) {
            while (run.count > 0) {
                if (in_group == 0) out->push_back(GroupPlan{planes, {}});
                const long long k = std::min(run.count, rows_ - in_group);
                out->back().runs.push_back(RowRun{run.wide, run.narrow, k});
                run.count -= k;
                in_group = (in_group + k) % rows_;
            }
        }
    }

    long long rows_;
    int max_bits_;
};

// Spans realising a row at T = planes. A lone filter spans all T when T <= max_bits,
// else slot 0 keeps at most max_bits and slot 1 holds an empty span. A pair puts the
// wider filter first with the least slot-1 span. That fails only for a 1-bit partner
// with a + 1 == T (slot 1 needs 2 planes): then the 1-bit filter goes first with one
// plane and the wide one takes slot 1 (T <= 2 * max_bits keeps it within max_bits).
PackedRow make_row(int wide, int narrow, int planes, const std::vector<int>& bits, int max_bits) {
    PackedRow row;
    row.first = wide;
    if (narrow < 0) {
        row.second_span = planes <= max_bits ? 0 : std::max(2, planes - max_bits);
        return row;
    }
    const auto span_for = [&](int f) { return std::max({bits[f], 2, planes - max_bits}); };
    if (planes - span_for(narrow) >= bits[wide]) {
        row.second = narrow;
        row.second_span = span_for(narrow);
    } else {
        row.first = narrow;
        row.second = wide;
        row.second_span = span_for(wide);
    }
    return row;
}

std::string range_message(const char* what, long long value, long long low, long long high) {
    return fmt::format("pack_two_slot_groups: {} = {} outside {}..{}", what, value, low, high);
}

}  // namespace

std::vector<PackedGroup> pack_two_slot_groups(const std::vector<int>& weight_bits, int rows, int max_bits) {
    if (weight_bits.empty()) {
        throw std::invalid_argument("pack_two_slot_groups: weight_bits is empty (need at least one filter)");
    }
    if (rows < 1) throw std::invalid_argument(range_message("rows", rows, 1, std::numeric_limits<int>::max()));
    if (max_bits < 1 || max_bits > kMaxBitsLimit) {
        throw std::invalid_argument(range_message("max_bits", max_bits, 1, kMaxBitsLimit));
    }
    Histogram histogram(max_bits + 1, 0);
    for (std::size_t f = 0; f < weight_bits.size(); ++f) {
        const int b = weight_bits[f];
        if (b < 1 || b > max_bits) {
            throw std::invalid_argument(
                range_message(fmt::format("weight_bits[{}]", f).c_str(), b, 1, max_bits));
        }
        ++histogram[b];
    }

    // Candidates, cheapest kept; on a tie the earlier (simpler) one wins, so the
    // single-slot layout is returned unless pairing strictly helps.
    const Packer packer(rows, max_bits);
    Plan best = packer.sorted_single(histogram);
    long long best_cost = plan_cost(best);
    std::vector<Plan> candidates;
    Plan common;
    if (packer.complete(histogram, &common) < kInfinite) candidates.push_back(std::move(common));
    candidates.push_back(packer.lookahead(histogram));
    for (Plan& plan : candidates) {
        packer.tighten(plan);
        const long long cost = plan_cost(plan);
        if (plan_filters(plan) == static_cast<long long>(weight_bits.size()) && cost < best_cost) {
            best_cost = cost;
            best = std::move(plan);
        }
    }
    packer.improve(best, ceil_div(stats_of(histogram).bits, rows));
    std::stable_sort(best.begin(), best.end(),
                     [](const GroupPlan& a, const GroupPlan& b) { return a.planes < b.planes; });

    // Name the filters: equal bits are interchangeable, so hand them out in index order.
    std::vector<std::vector<int>> by_bits(max_bits + 1);
    for (int f = 0; f < static_cast<int>(weight_bits.size()); ++f) by_bits[weight_bits[f]].push_back(f);
    std::vector<std::size_t> next(max_bits + 1, 0);
    const auto take = [&](int b) { return by_bits[b].at(next[b]++); };
    std::vector<PackedGroup> groups;
    groups.reserve(best.size());
    for (const GroupPlan& plan : best) {
        PackedGroup group;
        group.planes = plan.planes;
        for (const RowRun& run : plan.runs) {
            for (long long i = 0; i < run.count; ++i) {
                const int wide = take(run.wide);
                const int narrow = run.narrow > 0 ? take(run.narrow) : -1;
                group.rows.push_back(make_row(wide, narrow, plan.planes, weight_bits, max_bits));
            }
        }
        group.rows.resize(static_cast<std::size_t>(rows));
        groups.push_back(std::move(group));
    }
    return groups;
}

int total_planes(const std::vector<PackedGroup>& groups) {
    int total = 0;
    for (const PackedGroup& g : groups) total += g.planes;
    return total;
}

std::string check_packing(const std::vector<PackedGroup>& groups, const std::vector<int>& weight_bits, int rows,
                          int max_bits) {
    if (rows < 1) return fmt::format("rows = {} must be >= 1", rows);
    if (max_bits < 1 || max_bits > kMaxBitsLimit) {
        return fmt::format("max_bits = {} outside 1..{}", max_bits, kMaxBitsLimit);
    }
    if (weight_bits.empty()) return "weight_bits is empty";
    const int filters = static_cast<int>(weight_bits.size());
    for (int f = 0; f < filters; ++f) {
        if (weight_bits[f] < 1 || weight_bits[f] > max_bits) {
            return fmt::format("weight_bits[{}] = {} outside 1..{}", f, weight_bits[f], max_bits);
        }
    }
    std::vector<std::pair<int, int>> placed(filters, {-1, -1});  // (group, row) of each filter
    for (int g = 0; g < static_cast<int>(groups.size()); ++g) {
        const PackedGroup& group = groups[g];
        if (group.rows.size() != static_cast<std::size_t>(rows)) {
            return fmt::format("group {}: has {} rows, expected {}", g, group.rows.size(), rows);
        }
        const int planes = group.planes;
        if (planes < 1 || planes > 2 * max_bits) {
            return fmt::format("group {}: planes {} outside 1..{} (2 * max_bits)", g, planes, 2 * max_bits);
        }
        if (g > 0 && planes < groups[g - 1].planes) {
            return fmt::format("group {}: planes {} below group {}'s {} (groups must be in non-decreasing planes order)",
                               g, planes, g - 1, groups[g - 1].planes);
        }
        for (int r = 0; r < rows; ++r) {
            const PackedRow& row = group.rows[r];
            const std::string where = fmt::format("group {} row {}: ", g, r);
            if (row.first == -1) {
                if (row.second != -1) {
                    return where + fmt::format("second = {} without a first filter (slot 1 needs slot 0 used)",
                                               row.second);
                }
                if (row.second_span != 0) {
                    return where + fmt::format("unused row has second_span {} (must be 0)", row.second_span);
                }
                continue;
            }
            for (const int f : {row.first, row.second}) {
                if (f == -1) continue;  // an empty slot 1 (slot 0 is used here)
                if (f < 0 || f >= filters) {
                    return where + fmt::format("filter index {} outside 0..{}", f, filters - 1);
                }
                if (placed[f].first >= 0) {
                    return where + fmt::format("filter {} duplicated (already in group {} row {})", f, placed[f].first,
                                               placed[f].second);
                }
                placed[f] = {g, r};
            }
            const int span = row.second_span;
            if (span != 0 && (span < 2 || span > max_bits)) {
                return where + fmt::format("second_span {} must be 0 or in 2..{}", span, max_bits);
            }
            const int span0 = planes - span;
            if (span0 < weight_bits[row.first]) {
                return where + fmt::format("slot-0 span {} (planes {} - second_span {}) too small for filter {} of {} bits",
                                           span0, planes, span, row.first, weight_bits[row.first]);
            }
            if (span0 > max_bits) {
                return where + fmt::format("slot-0 span {} (planes {} - second_span {}) exceeds max_bits {}", span0,
                                           planes, span, max_bits);
            }
            if (row.second != -1 && span < std::max(weight_bits[row.second], 2)) {
                return where + fmt::format("second_span {} too small for filter {} of {} bits in slot 1 (needs >= {})",
                                           span, row.second, weight_bits[row.second],
                                           std::max(weight_bits[row.second], 2));
            }
        }
    }
    for (int f = 0; f < filters; ++f) {
        if (placed[f].first < 0) return fmt::format("filter {} is not placed in any group", f);
    }
    return {};
}

}  // namespace fwmac
