// Reference models of fwmac_packer: the output format (which values, how they are packed,
// tlast/tkeep, written from the format) and a cycle model of the documented timing
// contract (README, fwmac_packer.v header).
#pragma once

#include "axis_bfm.hpp"
#include "bits.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace packer {

using tb::Bits;

struct Config {
    int cols, out_w, bus_w, vmax, vrow_w, tile_depth;
    int val_c() const { return tb::container_width(out_w); }
    int vpb() const { return bus_w / val_c(); }  // values per output beat
    int ch() const { return std::min(cols, vpb()); }
    int cap() const { return vpb() + 2 * ch() - 1; }
    int pix_w() const {
        int bits = 0;
        while ((1 << bits) < cols + 1) ++bits;
        return bits;
    }
    int tile_w() const { return pix_w() + vrow_w + vmax + 1; }
    std::string text() const {
        return "COLS=" + std::to_string(cols) + " OUT_W=" + std::to_string(out_w) + " BUS_W=" + std::to_string(bus_w) +
               " VMAX=" + std::to_string(vmax) + " TILE_DEPTH=" + std::to_string(tile_depth) + " (" +
               std::to_string(vpb()) + " values per beat, pieces of " + std::to_string(ch()) + ")";
    }
};

struct Tile {
    int pixels = 1;
    int beats = 1;  // V
    Bits real;      // VMAX bits
    bool last = false;
    std::vector<Bits> y;       // beats entries of COLS x OUT_W bits (one for V = 0)
    std::vector<bool> y_last;  // as sent (normally: the V-th beat)
    int y_beats() const { return std::max(beats, 1); }
    bool beat_real(const Config& config, int b) const { return b < beats && b < config.vmax && real.bit(b); }
    int kept_pixels(const Config& config) const { return std::min(pixels, config.cols); }
    Bits info(const Config& config) const {
        Bits data(config.tile_w());
        data.insert(0, config.pix_w(), static_cast<uint64_t>(pixels));
        data.insert(config.pix_w(), config.vrow_w, static_cast<uint64_t>(beats));
        data.insert(config.pix_w() + config.vrow_w, real);
        data.set_bit(config.tile_w() - 1, last);
        return data;
    }
};

inline Tile random_tile(const Config& config, std::mt19937_64& rng, bool last) {
    Tile tile;
    tile.pixels = (rng() % 3 == 0) ? config.cols : 1 + static_cast<int>(rng() % config.cols);
    tile.beats = 1 + static_cast<int>(rng() % config.vmax);
    switch (rng() % 8) {
        case 0: tile.real = Bits(config.vmax); break;
        case 1:
        case 2: tile.real = Bits::ones(config.vmax); break;
        default: tile.real = Bits::random(config.vmax, rng); break;
    }
    tile.last = last;
    for (int b = 0; b < tile.y_beats(); ++b) {
        tile.y.push_back(Bits::random(config.cols * config.out_w, rng));
        tile.y_last.push_back(b == tile.y_beats() - 1);
    }
    return tile;
}

// a run: tiles, the last one with last set
inline std::vector<Tile> random_run(const Config& config, std::mt19937_64& rng, int max_tiles = 8) {
    std::vector<Tile> tiles;
    int count = 1 + static_cast<int>(rng() % max_tiles);
    for (int t = 0; t < count; ++t) tiles.push_back(random_tile(config, rng, t == count - 1));
    return tiles;
}

// The output packet of one run: the first pixel_count values of every real beat, in
// VAL_C-bit containers, VPB per beat, low first; tlast on the beat with the last value,
// tkeep its bytes. If the run's closing beat adds no value (last tile without real beats,
// or pixel_count 0) and the values fill whole beats, a null beat (tkeep 0) closes it.
inline std::vector<axis::Beat> expected_packet(const Config& config, const std::vector<Tile>& tiles) {
    std::vector<Bits> values;
    for (const Tile& tile : tiles)
        for (int b = 0; b < tile.y_beats(); ++b)
            if (tile.beat_real(config, b))
                for (int c = 0; c < tile.kept_pixels(config); ++c)
                    values.push_back(tile.y[b].slice(c * config.out_w, config.out_w));
    const Tile& last = tiles.back();
    bool closing_adds = false;
    for (int b = 0; b < last.y_beats(); ++b)
        if (last.beat_real(config, b)) closing_adds = last.kept_pixels(config) > 0;
    const int vpb = config.vpb(), vc = config.val_c(), bytes = config.bus_w / 8;
    std::vector<axis::Beat> beats;
    const std::size_t n = values.size();
    for (std::size_t first = 0; first < n; first += vpb) {
        axis::Beat beat{Bits(config.bus_w), Bits::ones(bytes), false};
        std::size_t count = std::min<std::size_t>(vpb, n - first);
        for (std::size_t i = 0; i < count; ++i) beat.data.insert(static_cast<int>(i) * vc, values[first + i]);
        if (first + count == n && (closing_adds || n % vpb != 0)) {
            beat.last = true;
            beat.keep = Bits(bytes);
            for (int k = 0; k < static_cast<int>(count) * vc / 8; ++k) beat.keep.set_bit(k, true);
        }
        beats.push_back(beat);
    }
    if (beats.empty() || !beats.back().last) beats.push_back(axis::Beat{Bits(config.bus_w), Bits(bytes), true});
    return beats;
}

// ---------------------------------------------------------------- cycle model
struct ModelIn {
    bool clear = false;
    bool y_valid = false;
    Bits y_data;
    bool y_last = false;
    bool tile_valid = false;
    Tile tile;  // the info part (pixels, beats, real, last)
    bool tready = false;
};
struct ModelOut {
    bool y_ready = false;
    bool tile_ready = false;
    axis::Beat beat;  // valid if tvalid
    bool tvalid = false;
    unsigned error = 0;
};

class PackerModel {
  public:
    explicit PackerModel(const Config& config) : c_(config) {}

    ModelOut cycle(const ModelIn& in) {
        ModelOut out;
        out.error = error_;
        out.tile_ready = static_cast<int>(tiles_.size()) < c_.tile_depth;
        const int lvl = static_cast<int>(buffer_.size());
        out.tvalid = lvl >= c_.vpb() || fin_;
        if (out.tvalid) {
            const bool last = fin_ && lvl <= c_.vpb();
            out.beat = axis::Beat{Bits(c_.bus_w), Bits::ones(c_.bus_w / 8), last};
            const int count = std::min(lvl, c_.vpb());
            for (int i = 0; i < count; ++i) out.beat.data.insert(i * c_.val_c(), buffer_[i]);
            if (last) {
                out.beat.keep = Bits(c_.bus_w / 8);
                for (int k = 0; k < count * c_.val_c() / 8; ++k) out.beat.keep.set_bit(k, true);
            }
        }
        // the current piece
        bool can = false, last_piece = false, final_piece = false, tile_last_beat = false, real = false;
        int n = 0;
        if (!tiles_.empty()) {
            const Tile& tile = tiles_.front();
            real = tile.beat_real(c_, beat_);
            const int remaining = tile.kept_pixels(c_) - pos_;
            last_piece = !real || remaining <= c_.ch();
            n = real ? std::min(remaining, c_.ch()) : 0;
            tile_last_beat = beat_ + 1 >= tile.beats;
            bool later_real = false, any_real = false;
            for (int b = 0; b < std::max(tile.beats, 1); ++b) {
                if (tile.beat_real(c_, b)) any_real = true;
                if (b > beat_ && tile.beat_real(c_, b)) later_real = true;
            }
            final_piece = last_piece && tile.last && ((real && !later_real) || (!any_real && tile_last_beat));
            const bool room = lvl + c_.ch() <= c_.cap();
            const bool hold = final_piece && n == 0 && lvl >= c_.vpb();
            can = !fin_ && room && !hold;
        }
        out.y_ready = can && last_piece;
        const bool take = can && in.y_valid;
        const bool emit = out.tvalid && in.tready;

        // the edge
        unsigned new_error = 0;
        if (emit) {
            const int count = std::min(lvl, c_.vpb());
            buffer_.erase(buffer_.begin(), buffer_.begin() + count);
            if (out.beat.last) fin_ = false;
        }
        bool pop = false;
        if (take) {
            for (int i = 0; i < n; ++i) buffer_.push_back(in.y_data.slice((pos_ + i) * c_.out_w, c_.out_w));
            if (final_piece) fin_ = true;
            if (last_piece) {
                if (in.y_last != tile_last_beat) new_error |= 1u;
                pos_ = 0;
                if (tile_last_beat) {
                    const Tile& tile = tiles_.front();
                    if (tile.beats == 0 || tile.beats > c_.vmax || tile.pixels == 0 || tile.pixels > c_.cols)
                        new_error |= 2u;
                    pop = true;
                    beat_ = 0;
                } else {
                    ++beat_;
                }
            } else {
                pos_ += c_.ch();
            }
        }
        if (pop) tiles_.pop_front();
        if (in.tile_valid && out.tile_ready) tiles_.push_back(in.tile);
        error_ = (in.clear ? 0u : error_) | new_error;
        return out;
    }

    int level() const { return static_cast<int>(buffer_.size()); }
    bool fin() const { return fin_; }
    bool tile_available() const { return !tiles_.empty(); }

  private:
    Config c_;
    std::deque<Bits> buffer_;
    bool fin_ = false;
    std::deque<Tile> tiles_;
    int beat_ = 0;
    int pos_ = 0;
    unsigned error_ = 0;
};

}  // namespace packer
