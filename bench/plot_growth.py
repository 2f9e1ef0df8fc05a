#!/usr/bin/env python3
"""Draws the cost per item against N for the benchmarks that print a growth column
(coordinator_bench, logon_bench, listing_bench) as one SVG: a flat line is linear growth.

Usage: plot_growth.py OUT.svg coordinator.txt logon.txt listing.txt
Each input is the program's printed table; the first column is N, and the column named below
is the cost per item."""
import math
import sys

PANELS = [  # (title, header of the cost column, unit)
    ("coordinator: per provider per phase", "coordinator ns/call", "ns"),
    ("MAPILogonEx: per provider", "us per provider", "us"),
    ("folder listing: per row", "us per row", "us"),
]


def read_table(path, column):
    text = open(path, encoding="utf-8").read().strip("\n")
    lines = text.split("\n\n")[0].splitlines()  # the first table: a blank line ends it
    header = lines[0]
    # Headers are right-aligned over their values: find the column by the header's end.
    end = header.index(column) + len(column)
    rows = []
    for line in lines[1:]:
        fields = line.split()
        if not fields or not fields[0].isdigit():
            continue  # a note under the table ("note: a later exit ... took 1 page faults"), not a size
        # The value whose right edge is nearest the header's right edge.
        best, best_gap = None, None
        pos = 0
        for f in fields:
            pos = line.index(f, pos) + len(f)
            gap = abs(pos - end)
            if best_gap is None or gap < best_gap:
                best, best_gap = f, gap
        rows.append((float(fields[0]), float(best)))
    return rows


def panel(x0, title, unit, rows, width=300, height=220):
    out = [f'<g transform="translate({x0},40)">',
           f'<text x="{width / 2}" y="-12" text-anchor="middle" font-size="13">{title}</text>',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="none" stroke="#888"/>']
    xs = [math.log10(n) for n, _ in rows]
    ys = [c for _, c in rows]
    xmin, xmax = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    ymax = max(ys) * 1.25
    px = lambda x: 10 + (x - xmin) / (xmax - xmin) * (width - 20)
    py = lambda y: height - y / ymax * (height - 10)
    points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys))
    out.append(f'<polyline points="{points}" fill="none" stroke="#1f77b4" stroke-width="2"/>')
    for (n, c), x in zip(rows, xs):
        out.append(f'<circle cx="{px(x):.1f}" cy="{py(c):.1f}" r="3" fill="#1f77b4"/>')
        out.append(f'<text x="{px(x):.1f}" y="{height + 16}" text-anchor="middle" font-size="11">{int(n):,}</text>')
        out.append(f'<text x="{px(x):.1f}" y="{py(c) - 7:.1f}" text-anchor="middle" font-size="10">{c:.1f}</text>')
    out.append(f'<text x="{width / 2}" y="{height + 32}" text-anchor="middle" font-size="11">N (log scale)</text>')
    out.append(f'<text x="-8" y="{height / 2}" text-anchor="middle" font-size="11" '
               f'transform="rotate(-90 -8 {height / 2})">{unit} per item</text>')
    out.append('</g>')
    return out


def main():
    out_path, inputs = sys.argv[1], sys.argv[2:5]
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="1040" height="320" font-family="sans-serif">',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="520" y="16" text-anchor="middle" font-size="14">cost per item against N '
           '(flat: linear growth)</text>']
    for i, ((title, column, unit), path) in enumerate(zip(PANELS, inputs)):
        svg += panel(40 + i * 340, title, unit, read_table(path, column))
    svg.append('</svg>')
    open(out_path, "w", encoding="utf-8").write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
