#!/usr/bin/env python3
"""Draws chosen signals of a VCD file as a timing diagram in SVG (WaveDrom-like look).

    tools/vcd_to_svg.py sim.vcd -o waves.svg --clock clk_i --zero-after rst_ni \
        --signal cmd_valid_i --signal cmd_ready_o:fire=cmd_valid_i --signal cmd_chunks_i=chunks ...

Signals are named by their full dotted VCD path (top.dut.clk_i) or by any unique dotted
suffix of it (clk_i, dut.clk_i). One-bit signals are drawn as waves, wider ones as buses
with their value in hex (x or z digits print as x). The x axis is simulation time: every
transition sits where the VCD puts it. Clock periods are numbered between rising edges;
with --zero-after S, period 0 is the one in which S first rises (for an active-low
synchronous reset: the first period the design is out of reset, sampled at its closing
edge). A ready signal given as NAME:fire=VALID gets a dot at every rising clock edge at
which both it and VALID are 1, i.e. at every beat that moves (with --zero-after S, only at
edges where S is 1 too: nothing moves in reset). `--signal -` leaves a gap.

Python 3 standard library only. The output depends only on the VCD's value changes (not
on its $date), so the same simulation gives the same SVG.
"""

import argparse
import sys
from xml.sax.saxutils import escape

ROW_HEIGHT = 26
WAVE_HEIGHT = 14
LABEL_WIDTH = 118
TOP_MARGIN = 44
CHAR_WIDTH = 6.3  # of the 10.5 px monospace digits, for deciding whether a value fits
SLANT = 3.0


class Signal:
    def __init__(self, code, path, width):
        self.code = code
        self.path = path
        self.width = width
        self.changes = []  # (time, value string of 0/1/x/z, MSB first)


def parse_vcd(path):
    """Returns ({dotted path: Signal}, end time)."""
    by_code = {}
    by_path = {}
    scope = []
    time = 0
    end_time = 0
    with open(path, encoding="ascii", errors="replace") as vcd:
        tokens = iter(vcd.read().split())
    in_definitions = True
    for token in tokens:
        if in_definitions:
            if token == "$scope":
                next(tokens)  # module / begin / task ...
                scope.append(next(tokens))
                next(tokens)  # $end
            elif token == "$upscope":
                scope.pop()
                next(tokens)
            elif token == "$var":
                next(tokens)  # wire / reg / integer ...
                width = int(next(tokens))
                code = next(tokens)
                name = next(tokens)
                rest = next(tokens)
                while rest != "$end":  # an optional [msb:lsb]
                    rest = next(tokens)
                full = ".".join(scope + [name])
                signal = by_code.get(code)
                if signal is None:
                    signal = Signal(code, full, width)
                    by_code[code] = signal
                by_path[full] = signal
            elif token == "$enddefinitions":
                next(tokens)
                in_definitions = False
            elif token in ("$date", "$version", "$timescale", "$comment"):
                while token != "$end":
                    token = next(tokens)
            continue
        if token.startswith("#"):
            time = int(token[1:])
            end_time = max(end_time, time)
        elif token in ("$dumpvars", "$dumpon", "$dumpoff", "$dumpall", "$end"):
            continue
        elif token == "$comment":
            while token != "$end":
                token = next(tokens)
        elif token[0] in "bB":
            value = token[1:].lower()
            code = next(tokens)
            record(by_code, code, time, value)
        elif token[0] in "rR":
            next(tokens)  # real values are not drawn
        elif token[0] in "01xXzZ":
            record(by_code, token[1:], time, token[0].lower())
    return by_path, end_time


def record(by_code, code, time, value):
    signal = by_code.get(code)
    if signal is None:
        return
    value = value.rjust(signal.width, "0" if value[0] == "1" else value[0])[-signal.width:]
    if signal.changes and signal.changes[-1][0] == time:
        signal.changes[-1] = (time, value)
    elif not signal.changes or signal.changes[-1][1] != value:
        signal.changes.append((time, value))


def find_signal(signals, name):
    if name in signals:
        return signals[name]
    matches = [path for path in signals if path.endswith("." + name)]
    if len(matches) == 1:
        return signals[matches[0]]
    if not matches:
        sys.exit(f"vcd_to_svg: no signal '{name}' in the VCD")
    sys.exit(f"vcd_to_svg: '{name}' is ambiguous: {', '.join(sorted(matches))}")


def value_at(signal, time, before=False):
    """The value at `time` (after the changes at `time`, or just before them)."""
    current = "x" * signal.width
    for change_time, value in signal.changes:
        if change_time > time or (before and change_time == time):
            break
        current = value
    return current


def hex_text(bits):
    if any(bit in "xz" for bit in bits):
        return "x"
    digits = (len(bits) + 3) // 4
    return format(int(bits, 2), "0{}x".format(digits))


def segments(signal, start, end):
    """[(t0, t1, value)] covering start..end."""
    result = []
    current = value_at(signal, start)
    t0 = start
    for change_time, value in signal.changes:
        if change_time <= start:
            continue
        if change_time >= end:
            break
        result.append((t0, change_time, current))
        t0, current = change_time, value
    result.append((t0, end, current))
    return result


def rising_edges(clock):
    edges = []
    previous = None
    for time, value in clock.changes:
        if value == "1" and previous == "0":
            edges.append(time)
        previous = value
    return edges


def parse_signal_spec(spec):
    """NAME[=LABEL][:fire=VALID] -> (name, label, valid name or None)."""
    fire = None
    if ":fire=" in spec:
        spec, fire = spec.split(":fire=", 1)
    name, _, label = spec.partition("=")
    return name, label or name.split(".")[-1], fire


def main():
    parser = argparse.ArgumentParser(description="Draw VCD signals as an SVG timing diagram.")
    parser.add_argument("vcd")
    parser.add_argument("-o", "--out", required=True, help="the SVG file to write")
    parser.add_argument("--clock", required=True, help="the clock signal (periods between its rising edges)")
    parser.add_argument("--signal", action="append", default=[], metavar="NAME[=LABEL][:fire=VALID]",
                        help="a signal to draw, top to bottom; '-' leaves a gap")
    parser.add_argument("--zero-after", metavar="NAME",
                        help="number clock periods from the one in which NAME first rises")
    parser.add_argument("--first", type=int, default=None, help="first clock period to draw (default: all)")
    parser.add_argument("--last", type=int, default=None, help="last clock period to draw (default: all)")
    parser.add_argument("--period-width", type=float, default=34.0, help="pixels per clock period")
    parser.add_argument("--title", default="")
    parser.add_argument("--note", action="append", default=[], help="a line of text under the diagram")
    args = parser.parse_args()

    signals, end_time = parse_vcd(args.vcd)
    clock = find_signal(signals, args.clock)
    edges = rising_edges(clock)
    if len(edges) < 2:
        sys.exit("vcd_to_svg: the clock has fewer than two rising edges")
    # period k ends at edges[k + offset]; period 0 closes at the first edge after zero-after rises
    offset = 0
    reset = None
    if args.zero_after:
        reset = find_signal(signals, args.zero_after)
        rise = next((t for t, v in reset.changes if v == "1"), None)
        if rise is None:
            sys.exit(f"vcd_to_svg: {args.zero_after} never rises")
        offset = next(i for i, edge in enumerate(edges) if edge > rise)
    periods = range(-offset + 1, len(edges) - offset)  # period k spans edges[k+offset-1]..edges[k+offset]
    first = max(periods.start, args.first if args.first is not None else periods.start)
    last = min(periods.stop - 1, args.last if args.last is not None else periods.stop - 1)
    start = edges[first + offset - 1]
    end = edges[last + offset]
    half_period = (edges[1] - edges[0]) / 2.0
    end = min(end + half_period, max(end, end_time))  # show the last edge's effect for half a period
    scale = args.period_width / (edges[1] - edges[0])

    def x_of(time):
        return LABEL_WIDTH + (time - start) * scale

    rows = []
    for spec in args.signal:
        if spec == "-":
            rows.append(None)
            continue
        name, label, fire = parse_signal_spec(spec)
        rows.append((find_signal(signals, name), label, find_signal(signals, fire) if fire else None))

    width = int(x_of(end) + 16)
    height = TOP_MARGIN + ROW_HEIGHT * len(rows) + 14 + 16 * len(args.note) + 8
    out = []
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
               f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">')
    out.append(f'<rect width="{width}" height="{height}" fill="white"/>')
    if args.title:
        out.append(f'<text x="8" y="16" font-size="13" font-weight="bold">{escape(args.title)}</text>')
    # period grid and numbers
    grid_bottom = TOP_MARGIN + ROW_HEIGHT * len(rows) - 4
    for k in range(first, last + 1):
        left, right = x_of(edges[k + offset - 1]), x_of(edges[k + offset])
        out.append(f'<line x1="{right:.1f}" y1="{TOP_MARGIN - 12}" x2="{right:.1f}" y2="{grid_bottom}" '
                   f'stroke="#e4e4e4"/>')
        out.append(f'<text x="{(left + right) / 2:.1f}" y="{TOP_MARGIN - 16}" text-anchor="middle" '
                   f'font-size="9" fill="#888">{k}</text>')
    out.append(f'<line x1="{x_of(start):.1f}" y1="{TOP_MARGIN - 12}" x2="{x_of(start):.1f}" y2="{grid_bottom}" '
               f'stroke="#e4e4e4"/>')

    for index, row in enumerate(rows):
        if row is None:
            continue
        signal, label, fire = row
        top = TOP_MARGIN + index * ROW_HEIGHT
        high, low, mid = top, top + WAVE_HEIGHT, top + WAVE_HEIGHT / 2
        out.append(f'<text x="{LABEL_WIDTH - 8}" y="{mid + 4}" text-anchor="end" font-family="monospace" '
                   f'font-size="11">{escape(label)}</text>')
        if signal.width == 1:
            points = []
            for t0, t1, value in segments(signal, start, end):
                level = {"1": high, "0": low}.get(value, mid)
                if value in "xz":
                    out.append(f'<rect x="{x_of(t0):.1f}" y="{high}" width="{x_of(t1) - x_of(t0):.1f}" '
                               f'height="{WAVE_HEIGHT}" fill="#f3d6d6"/>')
                points.append(f"{x_of(t0):.1f},{level}")
                points.append(f"{x_of(t1):.1f},{level}")
            out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#222" stroke-width="1.3"/>')
        else:
            for t0, t1, value in segments(signal, start, end):
                x0, x1 = x_of(t0), x_of(t1)
                s = min(SLANT, (x1 - x0) / 2)
                shape = (f"{x0:.1f},{mid} {x0 + s:.1f},{high} {x1 - s:.1f},{high} {x1:.1f},{mid} "
                         f"{x1 - s:.1f},{low} {x0 + s:.1f},{low}")
                unknown = any(bit in "xz" for bit in value)
                fill = "#eeeeee" if unknown else "#fff7d6"
                out.append(f'<polygon points="{shape}" fill="{fill}" stroke="#222" stroke-width="1"/>')
                text = hex_text(value)
                if not unknown and len(text) * CHAR_WIDTH + 2 * s + 2 <= x1 - x0:
                    out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{mid + 3.8:.1f}" text-anchor="middle" '
                               f'font-family="monospace" font-size="10.5">{text}</text>')
        if fire is not None:
            for k in range(first, last + 1):
                edge = edges[k + offset]
                in_reset = reset is not None and value_at(reset, edge, before=True) != "1"
                if (value_at(signal, edge, before=True) == "1" and value_at(fire, edge, before=True) == "1"
                        and not in_reset):
                    out.append(f'<circle cx="{x_of(edge):.1f}" cy="{high}" r="3" fill="#1f6fb4"/>')
    for line, note in enumerate(args.note):
        y = TOP_MARGIN + ROW_HEIGHT * len(rows) + 10 + 16 * line
        out.append(f'<text x="8" y="{y}" font-size="11" fill="#444">{escape(note)}</text>')
    out.append("</svg>")
    with open(args.out, "w", encoding="utf-8") as svg:
        svg.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
