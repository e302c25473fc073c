#!/usr/bin/env python3
"""Coverage of the generated RTL across designs (make coverage, tb/coverage.sh).

  coverage_report.py normalize SOURCE_DIR IN.dat OUT.dat
      Rewrites one design's coverage.dat (fwmac_tb --coverage) so that points of
      different designs merge: a point in a file the generator copied from
      rtl_templates/ is moved to that template (the copy is the template behind a
      banner, with the design's prefix in its names), its lines shifted by the banner,
      its module named fwmac_<stem> and its hierarchy reduced to that module. Points of
      the generated modules (array, top, trees) stay in their design's own files.
  coverage_report.py summary MERGED.dat [--out FILE]
      Prints per module the line, branch, toggle and testbench cover-point coverage
      (covered/total and percent; a point is covered when it was hit at least once)
      and lists every uncovered point as file:line (toggle bits grouped per signal).

The .dat format is the one VerilatedCovContext::write and verilator_coverage use: a
line "C '<key><value>...' <count>" per point, every key preceded by \\x01 and every
value by \\x02; keys used here: f (file), l (line), n (column), page (v_line/MODULE,
v_branch/MODULE, v_toggle/MODULE, v_user/MODULE), o (comment: block kind, or the
toggled signal and bit), S (lines a block covers), h (hierarchy).
Python 3 standard library only.
"""

import argparse
import os
import re
import sys
from collections import OrderedDict, defaultdict

BANNER_COPY = re.compile(r"^// (\w+)\.v: copied from rtl_templates/")
BANNER_CONFIG = re.compile(r"^// config '(\w+)' hash ")


def read_points(path):
    """[(OrderedDict of keys, count)] of a coverage.dat."""
    points = []
    with open(path, encoding="utf-8", errors="surrogateescape") as dat:
        for number, line in enumerate(dat, 1):
            if not line.startswith("C '"):
                continue
            body, _, count = line.rstrip("\n").rpartition("' ")
            if not body or not count.isdigit():
                sys.exit(f"coverage_report: {path}:{number}: malformed point line")
            keys = OrderedDict()
            for field in body[3:].split("\x01")[1:]:
                key, _, value = field.partition("\x02")
                keys[key] = value
            points.append((keys, int(count)))
    return points


def write_points(path, points):
    merged = OrderedDict()
    for keys, count in points:
        text = "".join(f"\x01{key}\x02{value}" for key, value in keys.items())
        merged[text] = merged.get(text, 0) + count
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as dat:
        dat.write("# SystemC::Coverage-3\n")
        for text, count in merged.items():
            dat.write(f"C '{text}' {count}\n")


class TemplateCopies:
    """Which generated files are template copies, and where their text starts."""

    def __init__(self, source_dir):
        self.templates = os.path.join(source_dir, "rtl_templates")
        self.cache = {}

    def lookup(self, path):
        """(template path, banner lines, design name) or None for a generated module."""
        if path in self.cache:
            return self.cache[path]
        result = None
        try:
            with open(path, encoding="utf-8") as copy:
                lines = copy.read().split("\n")
        except OSError:
            lines = []
        head = 1 if lines and lines[0].startswith("// SPDX-License-Identifier:") else 0  # the SPDX line
        copied = BANNER_COPY.match(lines[head + 1]) if len(lines) > head + 1 else None
        config = BANNER_CONFIG.match(lines[head + 3]) if len(lines) > head + 3 else None
        if copied and config:
            design = config.group(1)
            stem = copied.group(1)
            if not stem.startswith(design + "_"):
                sys.exit(f"coverage_report: {path}: module file {stem}.v does not carry the design prefix {design}_")
            template = os.path.join(self.templates, "fwmac_" + stem[len(design) + 1:] + ".v")
            banner = next((i + 1 for i in range(head + 1, len(lines)) if lines[i].startswith("// ----")), None)
            with open(template, encoding="utf-8") as original:
                template_lines = original.read().split("\n")
            if banner is None or len(template_lines) != len(lines) - banner:
                sys.exit(f"coverage_report: {path} is not {template} behind a banner (line counts differ)")
            result = (os.path.abspath(template), banner, design)
        self.cache[path] = result
        return result


def module_of_page(page, design):
    """'v_line/<design>_ctrl__C6_P3' -> ('v_line', 'fwmac_ctrl')."""
    kind, _, module = page.partition("/")
    module = module.split("__", 1)[0]
    if design and module.startswith(design + "_"):
        module = "fwmac_" + module[len(design) + 1:]
    return kind, module


def shift_lines(lines_covered, offset):
    """'145,147-148' shifted up by offset lines."""
    def shift(part):
        return "-".join(str(int(n) - offset) for n in part.split("-"))
    return ",".join(shift(part) for part in lines_covered.split(",") if part)


def normalize(source_dir, in_path, out_path):
    copies = TemplateCopies(source_dir)
    points = read_points(in_path)
    design = None
    out = []
    for keys, count in points:
        copy = copies.lookup(keys.get("f", ""))
        if copy:
            design = copy[2]
    for keys, count in points:
        keys = OrderedDict(keys)
        kind, module = module_of_page(keys.get("page", ""), design)
        copy = copies.lookup(keys.get("f", ""))
        if copy:
            template, offset, _ = copy
            keys["f"] = template
            keys["l"] = str(int(keys["l"]) - offset)
            if "S" in keys:
                keys["S"] = shift_lines(keys["S"], offset)
            keys["h"] = module
        elif design and "h" in keys:
            keys["h"] = keys["h"].replace(f"{design}_top", "fwmac_top")
        if kind != "v_user":
            keys["page"] = f"{kind}/{module}"
        out.append((keys, count))
    write_points(out_path, out)


# verilator --coverage-line gives block points (v_line) and if/else and case arm points
# (v_branch); --coverage-toggle one point per signal bit; the testbench's cover points
# (tb/cover_points.hpp) are v_user.
KINDS = (("line", ("v_line",)), ("branch", ("v_branch",)), ("toggle", ("v_toggle",)), ("cover points", ("v_user",)))


def kind_of(page):
    prefix = page.partition("/")[0]
    for name, prefixes in KINDS:
        if prefix in prefixes:
            return name
    return None


def module_name(page):
    module = page.partition("/")[2].split("__", 1)[0]
    return module[len("fwmac_"):] if module.startswith("fwmac_") else module


def display_path(path):
    here = os.getcwd() + os.sep
    return path[len(here):] if path.startswith(here) else path


def bit_ranges(bits):
    bits = sorted(bits)
    ranges = []
    for bit in bits:
        if ranges and bit == ranges[-1][1] + 1:
            ranges[-1][1] = bit
        else:
            ranges.append([bit, bit])
    return ",".join(str(a) if a == b else f"{a}:{b}" for a, b in ranges)


def summary(merged_path, out_path):
    points = read_points(merged_path)
    totals = defaultdict(lambda: [0, 0])  # (module, kind) -> [covered, all]
    uncovered_lines = []                  # (file, line, module, comment)
    uncovered_toggles = defaultdict(set)  # (file, line, module, signal) -> bits
    toggle_widths = defaultdict(int)
    uncovered_user = []
    for keys, count in points:
        kind = kind_of(keys.get("page", ""))
        if kind is None:
            continue
        module = module_name(keys["page"])
        entry = totals[(module, kind)]
        entry[1] += 1
        if count > 0:
            entry[0] += 1
        where = (display_path(keys.get("f", "?")), int(keys.get("l", 0)))
        if kind == "toggle":
            match = re.match(r"^(.*)\[(\d+)\]$", keys.get("o", ""))
            signal, bit = (match.group(1), int(match.group(2))) if match else (keys.get("o", ""), 0)
            toggle_widths[where + (module, signal)] += 1
            if count == 0:
                uncovered_toggles[where + (module, signal)].add(bit)
        elif count == 0:
            (uncovered_user if kind == "cover points" else uncovered_lines).append(
                where + (module, f"{kind}: {keys.get('o', '')}"))

    lines = []
    modules = sorted({module for module, _ in totals})
    header = f"{'module':<14}" + "".join(f"{name:>22}" for name, _ in KINDS)
    lines.append(f"coverage of {merged_path} (covered/points, a point is covered when hit at least once)")
    lines.append(header)

    def cell(covered, total):
        if total == 0:
            return f"{'-':>22}"
        return f"{f'{covered}/{total}':>14} {100.0 * covered / total:6.1f}%"

    grand = defaultdict(lambda: [0, 0])
    for module in modules:
        row = f"{module:<14}"
        for name, _ in KINDS:
            covered, total = totals.get((module, name), (0, 0))
            grand[name][0] += covered
            grand[name][1] += total
            row += cell(covered, total)
        lines.append(row)
    lines.append(f"{'all':<14}" + "".join(cell(*grand[name]) for name, _ in KINDS))

    lines.append("")
    lines.append(f"uncovered line and branch points ({len(uncovered_lines)}):")
    for path, line, module, comment in sorted(uncovered_lines):
        lines.append(f"  {path}:{line}  [{module}] {comment}")
    lines.append(f"uncovered toggle bits ({sum(len(b) for b in uncovered_toggles.values())}, "
                 f"in {len(uncovered_toggles)} signals):")
    for (path, line, module, signal), bits in sorted(uncovered_toggles.items()):
        width = toggle_widths[(path, line, module, signal)]
        lines.append(f"  {path}:{line}  [{module}] {signal}[{bit_ranges(bits)}] "
                     f"({len(bits)} of {width} bits)")
    lines.append(f"uncovered cover points ({len(uncovered_user)}):")
    for path, line, module, comment in sorted(uncovered_user):
        lines.append(f"  {path}:{line}  [{module}] {comment}")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if out_path:
        with open(out_path, "w", encoding="utf-8") as out:
            out.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    norm = commands.add_parser("normalize", help="map a design's points onto rtl_templates/")
    norm.add_argument("source_dir")
    norm.add_argument("input")
    norm.add_argument("output")
    summ = commands.add_parser("summary", help="per-module figures and the uncovered points")
    summ.add_argument("merged")
    summ.add_argument("--out", help="also write the summary to this file")
    args = parser.parse_args()
    if args.command == "normalize":
        normalize(args.source_dir, args.input, args.output)
    else:
        summary(args.merged, args.out)


if __name__ == "__main__":
    main()
