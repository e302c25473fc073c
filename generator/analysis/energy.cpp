#include "generator/analysis/energy.hpp"

#include <algorithm>
#include <stdexcept>

namespace fwmac {

double EnergyTable::add(int width) const {
    return add_8bit + (width - 8) * (add_32bit - add_8bit) / 24.0;
}

double EnergyTable::multiply(int a_bits, int b_bits) const {
    const double per_partial_product = (multiply_32x32 - multiply_8x8) / (32.0 * 32.0 - 8.0 * 8.0);
    return multiply_8x8 + (a_bits * b_bits - 64) * per_partial_product;
}

namespace {

// The adders of one PE's tree (fwmac_dot_tree / fwmac_mult_tree: a balanced binary
// tree over the L lane terms, odd nodes pass through), each at the width the generator
// gives it (exact for its value range, as in rtl_emit), and the bits of its pipeline
// registers when a register follows every `tree_register_every` levels.
struct TreeWork {
    std::vector<int> adder_widths;
    int register_bits = 0;
};

TreeWork adder_tree_work(const ArrayShape& shape) {
    const bool is_signed = is_bit_parallel(shape);
    auto width_of = [&](const ValueRange& range) {
        return is_signed ? signed_bits_for(range.min_value, range.max_value)
                         : bits_for(static_cast<std::uint64_t>(range.max_value));
    };
    std::vector<ValueRange> nodes(static_cast<std::size_t>(shape.lanes), lane_term_range(shape));
    TreeWork work;
    for (int level = 1; nodes.size() > 1; ++level) {
        std::vector<ValueRange> next;
        for (std::size_t i = 0; i < nodes.size(); i += 2) {
            if (i + 1 < nodes.size()) {
                next.push_back({nodes[i].min_value + nodes[i + 1].min_value, nodes[i].max_value + nodes[i + 1].max_value});
                work.adder_widths.push_back(width_of(next.back()));
            } else {
                next.push_back(nodes[i]);
            }
        }
        if (shape.tree_register_every > 0 && level % shape.tree_register_every == 0) {
            for (const ValueRange& node : next) work.register_bits += width_of(node);
        }
        nodes = std::move(next);
    }
    return work;
}

}  // namespace

OperationCounts count_operations(const Schedule& schedule) {
    const ArrayShape& shape = schedule.shape;
    const ActivityCounts activity = count_activity(schedule);
    const double rows = shape.rows, cols = shape.cols, lanes = shape.lanes, act_bits = shape.act_bits;
    const double pes = rows * cols;
    const int acc_bits = acc_width(shape);
    const bool serial = !is_bit_parallel(shape);
    const TreeWork tree = adder_tree_work(shape);
    const auto planes = static_cast<double>(activity.plane_cycles);
    const auto chunks = static_cast<double>(activity.activation_loads);

    OperationCounts counts;
    auto add = [&](double times, int width) {
        if (times > 0) counts.adds_by_width[width] += times;
    };
    // Every PE, every issued cycle: the adder tree and its pipeline registers.
    for (int width : tree.adder_widths) add(planes * pes, width);
    counts.flop_bits += planes * pes * tree.register_bits;
    // Accumulator commits: one add and one ACC_W-bit write per committed span of a PE
    // (bit-serial: its operands are held at 0 in between; bit-parallel: every chunk).
    const double commits =
        static_cast<double>(activity.commits) * pes + static_cast<double>(activity.first_span_commits) * cols;
    add(commits, acc_bits);
    counts.flop_bits += commits * acc_bits;
    // Operand registers (and the buffer reads that fill them).
    counts.flop_bits += chunks * cols * lanes * act_bits;
    counts.sram_bits += chunks * cols * lanes * act_bits;
    const double weight_bits = planes * rows * lanes * weight_lane_bits(shape);
    counts.flop_bits += weight_bits;
    counts.sram_bits += weight_bits;
    // Control tags, shifted every issued cycle: fwmac_ctrl's 5-bit tags over
    // pipeline_depth stages, fwmac_row_slots' per-row tags with two slots.
    const int tag_stages = pipeline_depth(shape);
    double tag_bits = 5.0 * tag_stages;
    if (shape.row_slots == 2) tag_bits += (3.0 * rows + 1) * (tag_stages - 1) + (2.0 * rows + 1);
    counts.flop_bits += planes * tag_bits;
    if (serial) {
        counts.and_bits += planes * pes * lanes * act_bits;
        add(planes * pes, partial_width(shape));                       // p = 2p +/- dot
        counts.flop_bits += planes * pes * partial_width(shape);       // partial register
    } else {
        counts.multiplies_by_shape[{shape.act_bits, shape.max_weight_bits}] += planes * pes * lanes;
    }
    // Drain (same in both designs): the chain is loaded once per tile and shifts once per
    // drained row, every chain register enabled; each drain cycle the requant units
    // evaluate one group (bias add, (ACC_W+1) x 16 multiply, round-and-clamp add),
    // clock their pipeline registers and write the group into the output register; the
    // drained rows' A-bit values are written to the output buffer.
    const double chain_bits = pes * acc_bits * shape.row_slots;
    counts.flop_bits += static_cast<double>(activity.drain_loads + activity.drain_shifts) * chain_bits;
    const double evaluations = static_cast<double>(activity.requant_cycles) * requant_unit_count(shape);
    add(evaluations, acc_bits + 1);
    counts.multiplies_by_shape[{acc_bits + 1, kMultBits}] += evaluations;
    add(evaluations, shape.act_bits + 2);
    counts.flop_bits += evaluations * requant_register_bits(shape);
    counts.flop_bits += static_cast<double>(activity.requant_cycles) * requant_unit_count(shape) * output_width(shape);
    counts.sram_bits += static_cast<double>(activity.drain_shifts) * cols * act_bits;
    return counts;
}

double OperationCounts::adder_bits() const {
    double bits = 0;
    for (const auto& [width, times] : adds_by_width) bits += times * width;
    return bits;
}

EnergyBreakdown price_operations(const OperationCounts& counts, const EnergyTable& table) {
    EnergyBreakdown energy;
    energy.and_gates = counts.and_bits * table.and_bit();
    for (const auto& [width, times] : counts.adds_by_width) energy.adders += times * table.add(width);
    for (const auto& [operand_bits, times] : counts.multiplies_by_shape) {
        energy.multipliers += times * table.multiply(operand_bits.first, operand_bits.second);
    }
    energy.registers = counts.flop_bits * table.flop_bit();
    energy.clock = counts.flop_bits * table.clock_bit();
    energy.buffers = counts.sram_bits * table.sram_bit();
    return energy;
}

EnergyReport add_reports(const EnergyReport& a, const EnergyReport& b) {
    EnergyReport sum;
    sum.macs = a.macs + b.macs;
    sum.cycles = a.cycles + b.cycles;
    sum.energy.and_gates = a.energy.and_gates + b.energy.and_gates;
    sum.energy.adders = a.energy.adders + b.energy.adders;
    sum.energy.multipliers = a.energy.multipliers + b.energy.multipliers;
    sum.energy.registers = a.energy.registers + b.energy.registers;
    sum.energy.clock = a.energy.clock + b.energy.clock;
    sum.energy.buffers = a.energy.buffers + b.energy.buffers;
    return sum;
}

nlohmann::json energy_json(const EnergyReport& report) {
    const EnergyBreakdown& e = report.energy;
    return nlohmann::json{{"macs", report.macs},
                          {"cycles", report.cycles},
                          {"macs_per_cycle", report.macs_per_cycle()},
                          {"energy_pj", e.total()},
                          {"pj_per_mac", report.pj_per_mac()},
                          {"tops_per_watt", report.tops_per_watt()},
                          {"breakdown_pj",
                           {{"and_gates", e.and_gates},
                            {"adders", e.adders},
                            {"multipliers", e.multipliers},
                            {"registers", e.registers},
                            {"clock", e.clock},
                            {"buffers", e.buffers}}}};
}

nlohmann::json energy_table_json(const EnergyTable& table) {
    return nlohmann::json{
        {"source",
         "M. Horowitz, 'Computing's energy problem (and what we can do about it)', ISSCC 2014; 45 nm, 0.9 V"},
        {"add_8bit_pj", table.add_8bit},
        {"add_32bit_pj", table.add_32bit},
        {"multiply_8x8_pj", table.multiply_8x8},
        {"multiply_32x32_pj", table.multiply_32x32},
        {"sram_8kb_read_64bit_pj", table.sram_read_64bit},
        {"assumptions",
         {"adder energy linear in width through the 8- and 32-bit points",
          "multiplier energy proportional to a*b partial products through 8x8 and 32x32",
          "flip-flop write per bit = one full-adder bit = add_8bit/8 (not in the source)",
          "clock per flip-flop bit and clocked cycle = half a write; registers with an enable are clock-gated, "
          "so a bit is clocked exactly in the cycles it is written (not in the source)",
          "2-input AND per bit = add_8bit/32 (not in the source)",
          "operand buffers are 8 KB SRAMs read 64 bits at a time: sram_8kb_read_64bit/64 per bit",
          "every PE works in every issued cycle (padding included); stalls are clock-gated",
          "no clock tree wiring, FSM control, leakage or DRAM traffic: datapath, pipeline tags, flop clocks "
          "and operand buffers"}}};
}

}  // namespace fwmac
