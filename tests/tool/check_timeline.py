#!/usr/bin/env python3
"""Checks the exit timeline `mapishut report --svg` drew for the fixture's last exit (two
sessions; Maildir and Mailbox in session 1, Archive in session 2; three calls each): it parses as
SVG, has one lane per session, one bar per provider call placed on the time axis, the providers'
names as labels, a legend of the phases and an axis in milliseconds."""
import sys
import xml.etree.ElementTree as ET

NS = {"svg": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag

lanes = root.findall(".//svg:g[@class='lane']", NS)
assert [l.get("data-session") for l in lanes] == ["1", "2"], [l.get("data-session") for l in lanes]
bars = root.findall(".//svg:rect[@class='bar']", NS)
assert len(bars) == 9, len(bars)
per_lane = {l.get("data-session"): len(l.findall("svg:rect[@class='bar']", NS)) for l in lanes}
assert per_lane == {"1": 6, "2": 3}, per_lane
texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
for label in ["session 1", "session 2", "Mailbox", "Archive", "QueryFastShutdown", "NotifyProcessShutdown",
              "DoFastShutdown", "ms"]:
    assert label in texts, label
# Bars sit where their calls began: Archive's DoFastShutdown (3.0 ms, 10.5 ms long) ends last.
def span(bar):
    return float(bar.get("x")), float(bar.get("x")) + float(bar.get("width"))
do_bars = [b for b in bars if b.get("data-step") == "DoFastShutdown"]
last = max(do_bars, key=lambda b: span(b)[1])
assert last.get("data-provider") == "Archive", last.get("data-provider")
queries = [b for b in bars if b.get("data-step") == "QueryFastShutdown"]
assert all(span(q)[0] < span(d)[0] for q in queries for d in do_bars), "queries come before the exits"
# Every call of that exit succeeded, and the log leaves out a succeeded call's code: the title says it.
titles = ["".join(b.itertext()) for b in bars]
assert all(t.endswith("ms, 0x00000000") for t in titles), titles
legend = root.findall(".//svg:g[@class='legend']//svg:text", NS)
assert len(legend) >= 3, len(legend)
print("timeline ok: 2 lanes, 9 bars, labels, legend, axis")
