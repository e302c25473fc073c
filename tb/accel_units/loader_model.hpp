// Reference models of the input stream: the run description, the packet format (the
// section packer, written from the format, not from the RTL) and a cycle model of the
// loader's documented timing contract (README, fwmac_loader.v header).
#pragma once

#include "axis_bfm.hpp"
#include "bits.hpp"

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace loader {

using tb::Bits;

struct Config {
    int bus_w, rows, slots, plane_w, vrow_w, span_w, param_w, wgt_w, act_w, wbuf_words, group_w, chunk_w, actn_w;
    int vmax() const { return rows * slots; }
    int spans_w() const { return slots == 2 ? rows * span_w : 0; }
    int hdr_w() const { return plane_w + vrow_w + spans_w() + vmax(); }
    int prm_aw() const { return vmax() > 1 ? clog2(vmax()) : 1; }
    int wgt_aw() const { return wbuf_words > 1 ? clog2(wbuf_words) : 1; }
    static int clog2(int value) {
        int bits = 0;
        while ((1 << bits) < value) ++bits;
        return bits;
    }
    std::string text() const {
        return "BUS_W=" + std::to_string(bus_w) + " R=" + std::to_string(rows) + " SLOTS=" + std::to_string(slots) +
               " PLANE_W=" + std::to_string(plane_w) + " VROW_W=" + std::to_string(vrow_w) + " SPAN_W=" +
               std::to_string(span_w) + " PARAM_W=" + std::to_string(param_w) + " WGT_W=" + std::to_string(wgt_w) +
               " ACT_W=" + std::to_string(act_w) + " WBUF_WORDS=" + std::to_string(wbuf_words) + " (header " +
               std::to_string(hdr_w()) + " bits)";
    }
};

struct Group {
    int planes = 1;
    int rows = 1;             // V
    std::vector<int> spans;   // R entries (SLOTS = 2)
    Bits real_rows;           // VMAX bits
    std::vector<Bits> params; // V words
    std::vector<Bits> weights;
    Bits header(const Config& config) const {
        Bits word(config.hdr_w());
        word.insert(0, config.plane_w, static_cast<uint64_t>(planes));
        word.insert(config.plane_w, config.vrow_w, static_cast<uint64_t>(rows));
        int low = config.plane_w + config.vrow_w;
        if (config.slots == 2)
            for (int r = 0; r < config.rows; ++r) word.insert(low + r * config.span_w, config.span_w, spans[r]);
        word.insert(low + config.spans_w(), real_rows);
        return word;
    }
};

struct Run {
    int chunks = 1;
    std::vector<Group> groups;
    std::vector<Bits> acts;
    int groups_count() const { return static_cast<int>(groups.size()); }
};

// a random well-formed run
inline Run random_run(const Config& config, std::mt19937_64& rng, int max_groups = 5, int max_acts = 40) {
    auto uniform = [&](int low, int high) { return low + static_cast<int>(rng() % (high - low + 1)); };
    Run run;
    int max_planes = (1 << config.plane_w) - 1;
    run.chunks = uniform(1, std::min(config.wbuf_words, std::min(12, (1 << config.chunk_w) - 1)));
    int groups = uniform(1, max_groups);
    for (int g = 0; g < groups; ++g) {
        Group group;
        group.planes = uniform(1, std::max(1, std::min(max_planes, config.wbuf_words / run.chunks)));
        group.rows = uniform(1, config.vmax());
        group.spans.resize(config.rows);
        for (auto& span : group.spans) span = uniform(0, (1 << config.span_w) - 1);
        group.real_rows = Bits::random(config.vmax(), rng);
        for (int v = 0; v < group.rows; ++v) group.params.push_back(Bits::random(config.param_w, rng));
        for (int w = 0; w < run.chunks * group.planes; ++w) group.weights.push_back(Bits::random(config.wgt_w, rng));
        run.groups.push_back(group);
    }
    int acts = (rng() % 8 == 0) ? 0 : uniform(1, max_acts);
    for (int a = 0; a < acts; ++a) run.acts.push_back(Bits::random(config.act_w, rng));
    return run;
}

enum Kind { kHeader = 0, kParams = 1, kWeights = 2, kActs = 3 };
inline const char* kind_name(int kind) {
    static const char* names[] = {"header", "param", "weight", "act"};
    return names[kind];
}

struct Section {
    Kind kind;
    int group;  // -1 for the act section
    int word_w;
    std::vector<Bits> words;
};

// the sections of a run's packet in order, empty ones left out
inline std::vector<Section> sections_of(const Config& config, const Run& run) {
    std::vector<Section> sections;
    auto add_group = [&](int g) {
        const Group& group = run.groups[g];
        sections.push_back(Section{kHeader, g, config.hdr_w(), {group.header(config)}});
        if (!group.params.empty()) sections.push_back(Section{kParams, g, config.param_w, group.params});
        if (!group.weights.empty()) sections.push_back(Section{kWeights, g, config.wgt_w, group.weights});
    };
    if (!run.groups.empty()) add_group(0);
    if (!run.acts.empty()) sections.push_back(Section{kActs, -1, config.act_w, run.acts});
    for (int g = 1; g < run.groups_count(); ++g) add_group(g);
    return sections;
}

// the packet: container i of a section with container width C <= BUS_W is in beat
// i*C/BUS_W at bit (i*C) mod BUS_W; with C > BUS_W it spans beats i*M .. i*M+M-1 (M =
// C/BUS_W), low part first; every section starts on a new beat, tlast on the last beat
inline std::vector<axis::Beat> pack(const Config& config, const Run& run) {
    std::vector<axis::Beat> beats;
    const int bus = config.bus_w;
    for (const Section& section : sections_of(config, run)) {
        const int container = tb::container_width(section.word_w);
        const int n = static_cast<int>(section.words.size());
        std::vector<Bits> part;
        if (container <= bus) {
            part.assign((n * container + bus - 1) / bus, Bits(bus));
            for (int i = 0; i < n; ++i) part[i * container / bus].insert((i * container) % bus, section.words[i]);
        } else {
            const int m = container / bus;
            for (int i = 0; i < n; ++i) {
                Bits full = section.words[i].resized(container);
                for (int j = 0; j < m; ++j) part.push_back(full.slice(j * bus, bus));
            }
        }
        for (auto& data : part) beats.push_back(axis::Beat{data, Bits(), false});
    }
    if (!beats.empty()) beats.back().last = true;
    return beats;
}

// ---------------------------------------------------------------- cycle model
struct Container {
    Kind kind;
    int group;
    int index;
    Bits word;
    bool section_last;
    bool group_last;  // the last container of its group
    bool run_last;
};
struct Step {
    int container;
    bool takes_beat;
    bool delivers;
};

struct Write {
    bool hdr = false, prm = false, wgt = false;
    int bank = 0, address = 0;
    Bits data;
};

struct ModelIn {
    bool start = false;
    bool tvalid = false;
    bool tlast = false;
    unsigned bank_free = 3;
    bool act_ready = false;
};

struct ModelOut {
    bool tready = false;
    bool busy = false;
    bool done = false;
    unsigned error = 0;
    Write write;
    unsigned loaded = 0;
    bool act_valid = false;
    Bits act_data;
    bool act_last = false;
};

// Follows the timing contract: a run is a list of steps; step j happens in a cycle with
// tvalid and its gate open (header: bank free; act: fewer than 2 act words held);
// tready = gate && the step ends its beat; writes, group_loaded and done one cycle after
// the delivering step; act words through a 2-entry output register.
class LoaderModel {
  public:
    explicit LoaderModel(const Config& config) : config_(config) {}

    // called in the cycle start_i is high, before cycle()
    void begin(const Run& run, int descriptor_chunks = -1) {
        next_run_ = run;
        next_chunks_ = descriptor_chunks < 0 ? run.chunks : descriptor_chunks;
    }

    // the outputs of this cycle for the inputs of this cycle, then the state advances
    ModelOut cycle(const ModelIn& in) {
        ModelOut out;
        out.busy = mode_ == kRun;
        out.done = done_now_;
        out.error = error_;
        out.write = write_now_;
        out.loaded = loaded_now_;
        out.act_valid = !acts_.empty();
        if (!acts_.empty()) {
            out.act_data = acts_.front().word;
            out.act_last = acts_.front().section_last;
        }
        bool gate = false, ends_beat = false;
        if (mode_ == kRun) {
            const Step& step = steps_[k_];
            const Container& item = items_[step.container];
            gate = item.kind == kHeader ? ((in.bank_free >> (item.group % 2)) & 1u) != 0
                   : item.kind == kActs ? acts_.size() < 2
                                        : true;
            ends_beat = step.takes_beat;
        } else if (mode_ == kFlush) {
            gate = ends_beat = true;
        }
        out.tready = !in.start && gate && ends_beat;

        // the edge
        done_now_ = false;
        write_now_ = Write{};
        loaded_now_ = 0;
        if (!acts_.empty() && in.act_ready) acts_.pop_front();
        if (in.start) {
            start_run();
            return out;
        }
        bool take = in.tvalid && out.tready;
        if (mode_ == kRun && in.tvalid && gate) {
            const Step step = steps_[k_++];
            const Container& item = items_[step.container];
            if (take && in.tlast && !(step.delivers && item.run_last)) error_ |= 1u;
            if (step.delivers) deliver(item, in);
        } else if (mode_ == kFlush && take) {
            error_ |= 4u;
            if (in.tlast) mode_ = kIdle;
        }
        return out;
    }

    bool busy() const { return mode_ == kRun; }
    bool flushing() const { return mode_ == kFlush; }
    long steps() const { return static_cast<long>(steps_.size()); }
    long steps_done() const { return k_; }
    // containers delivered to the act output so far (for the act sink's expectations)
    std::deque<Container>& delivered_acts() { return act_log_; }
    // groups whose last container was delivered, in order: (bank, group index)
    std::deque<std::pair<int, int>>& loaded_log() { return loaded_log_; }

  private:
    enum Mode { kIdle, kRun, kFlush };

    void start_run() {
        run_ = next_run_;
        chunks_ = next_chunks_;
        items_.clear();
        steps_.clear();
        k_ = 0;
        error_ = 0;
        Run run = run_;
        const auto sections = sections_of(config_, run);
        for (std::size_t s = 0; s < sections.size(); ++s) {
            const Section& section = sections[s];
            bool group_end = section.kind != kActs &&
                             (s + 1 == sections.size() || sections[s + 1].group != section.group);
            const int n = static_cast<int>(section.words.size());
            const int container = tb::container_width(section.word_w);
            for (int i = 0; i < n; ++i) {
                items_.push_back(Container{section.kind, section.group, i, section.words[i], i == n - 1,
                                           group_end && i == n - 1, s + 1 == sections.size() && i == n - 1});
                int index = static_cast<int>(items_.size()) - 1;
                if (container <= config_.bus_w) {
                    bool beat_full = ((i + 1) * container) % config_.bus_w == 0;
                    steps_.push_back(Step{index, beat_full || i == n - 1, true});
                } else {
                    int m = container / config_.bus_w;
                    for (int j = 0; j < m; ++j) steps_.push_back(Step{index, true, j == m - 1});
                }
            }
        }
        if (steps_.empty()) {
            mode_ = kIdle;
            done_now_ = true;
        } else {
            mode_ = kRun;
        }
    }

    void deliver(const Container& item, const ModelIn& in) {
        const int bank = item.group >= 0 ? item.group % 2 : 0;
        switch (item.kind) {
            case kHeader: {
                write_now_.hdr = true;
                write_now_.bank = bank;
                write_now_.data = item.word;
                const Group& group = run_.groups[item.group];
                if (group.rows == 0 || group.rows > config_.vmax() || group.planes == 0 || chunks_ == 0)
                    error_ |= 8u;
                break;
            }
            case kParams:
                if (item.index < config_.vmax()) {
                    write_now_.prm = true;
                    write_now_.bank = bank;
                    write_now_.address = item.index;
                    write_now_.data = item.word;
                } else {
                    error_ |= 8u;
                }
                break;
            case kWeights:
                if (item.index < config_.wbuf_words) {
                    write_now_.wgt = true;
                    write_now_.bank = bank;
                    write_now_.address = item.index;
                    write_now_.data = item.word;
                } else {
                    error_ |= 8u;
                }
                break;
            case kActs:
                acts_.push_back(item);
                act_log_.push_back(item);
                break;
        }
        if (item.group_last) {
            loaded_now_ = 1u << bank;
            loaded_log_.emplace_back(bank, item.group);
        }
        if (item.run_last) {
            done_now_ = true;
            if (in.tlast) {
                mode_ = kIdle;
            } else {
                error_ |= 2u;
                mode_ = kFlush;
            }
        }
    }

    Config config_;
    Run run_, next_run_;
    int chunks_ = 1, next_chunks_ = 1;
    std::vector<Container> items_;
    std::vector<Step> steps_;
    std::size_t k_ = 0;
    Mode mode_ = kIdle;
    unsigned error_ = 0;
    bool done_now_ = false;
    Write write_now_;
    unsigned loaded_now_ = 0;
    std::deque<Container> acts_;  // the act output register's contents (at most 2)
    std::deque<Container> act_log_;
    std::deque<std::pair<int, int>> loaded_log_;
};

}  // namespace loader
