#!/usr/bin/env python3
"""Renders the exit timeline `mapishut report --svg` drew in headless Chromium and checks what a
person opening it in a browser sees: the browser parses it as SVG (its DOM has the lanes and the
bars), and in the screenshot every bar is painted in its phase's colour where the SVG placed it,
each lane's "session N" label and the axis are drawn. check_timeline.py checks the file's own
structure; this checks the picture.

usage: check_timeline_render.py CHROMIUM TIMELINE.svg WORK_DIR"""
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib

chromium, svg_path, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(svg_path).getroot()
width, height = int(float(root.get("width"))), int(float(root.get("height")))


def run_chromium(*args):
    # A profile of its own in the work directory, no sandbox (root in CI), nothing from the network.
    cmd = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--disable-background-networking", "--no-first-run", "--hide-scrollbars",
           "--force-device-scale-factor=1", "--user-data-dir=" + os.path.join(work, "profile"), *args,
           "file://" + os.path.abspath(svg_path)]
    # Chromium also writes under HOME (dconf, crash reports): keep that in the work directory too.
    env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=os.path.join(work, "config"),
               XDG_CACHE_HOME=os.path.join(work, "cache"))
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


# The browser's own DOM: parsed as SVG, not shown as an error page, lanes and bars present.
dom = run_chromium("--dump-dom")
assert "This page contains the following errors" not in dom, dom[:2000]
assert dom.count('class="lane"') == len(root.findall(f".//{NS}g[@class='lane']")), dom[:2000]
assert dom.count('class="bar"') == len(root.findall(f".//{NS}rect[@class='bar']")), dom[:2000]


def read_png(path):
    """The pixels of an 8-bit RGB or RGBA, non-interlaced PNG, as rows of (r, g, b)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    w, h, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 4 if colour == 6 else 3
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return rows


shot = os.path.join(work, "timeline.png")
run_chromium(f"--window-size={width},{height}", "--screenshot=" + shot)
pixels = read_png(shot)


def colour_of(hex_colour):
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def near(a, b, tolerance=12):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


# Every bar is painted in its phase's colour at its centre.
for bar in root.iter(f"{NS}rect"):
    if bar.get("class") != "bar":
        continue
    x, y = float(bar.get("x")) + float(bar.get("width")) / 2, float(bar.get("y")) + float(bar.get("height")) / 2
    seen = pixels[int(y)][int(x)]
    assert near(seen, colour_of(bar.get("fill"))), \
        f"{bar.get('data-provider')} {bar.get('data-step')}: {seen} at ({x:.0f}, {y:.0f}), drawn {bar.get('fill')}"

# Each lane's label is drawn left of the bars: dark pixels where "session N" is.
for lane in root.findall(f".//{NS}g[@class='lane']"):
    label = lane.find(f"{NS}text")
    baseline = int(float(label.get("y")))
    dark = [p for row in pixels[baseline - 10:baseline + 2] for p in row[:100] if sum(p) < 300]
    assert dark, f"no text drawn for {''.join(label.itertext())} at y={baseline}"

# The axis is a line the width of the plot (anti-aliased across two rows: grey, not white).
axis = root.find(f".//{NS}g[@class='axis']/{NS}line")
ax_y, x1, x2 = int(float(axis.get("y1"))), int(float(axis.get("x1"))), int(float(axis.get("x2")))
drawn = sum(1 for x in range(x1, x2) if any(sum(pixels[y][x]) < 600 for y in (ax_y - 1, ax_y, ax_y + 1)))
assert drawn > 0.9 * (x2 - x1), f"the axis is drawn over {drawn} of {x2 - x1} pixels"
print(f"rendered {width}x{height} in Chromium: lanes, bars, labels and axis as drawn")
