#!/usr/bin/env python3
"""Where a park-mode wakeup's time goes, from one gort trace in the JSON format
(`./gort run json ... --trace FILE.json`): for each wait of the GC coordinator that ended by a
ready (park and park-yield), the delay from the completer's winning CAS to the coordinator resuming,
split where the coordinator was readied (the start of the last runnable stretch of its path) and
where it got a P (the start of its last running stretch; the trace's path gives both to the µs),
and what the goroutine that was on the completer's P at the CAS did next: how its
stretch on the CPU ended (a worker parks, "blocked: GC worker (idle)"; an assist that could not pay
its debt sleeps, "blocked: sleep"; one that paid it returns to its mutator, which runs on until it
next gives up the P, "Gosched", "preempted", ...) and how long after the CAS that was.

Figures per phase and completer kind: n, then medians (nearest rank) of the delay and of its three
parts, and the completer's stretch-end reasons with the median time
from the CAS to that end.

Usage: bench/wakeup-split.py TRACE.json [--phase 1|2]
  e.g. ./gort run json --procs 4 --wakeup park --godebug gcassistblock=1 --seconds 4 --trace /tmp/pb.json
       bench/wakeup-split.py /tmp/pb.json --phase 1
"""
import collections
import json
import re
import sys


def nearest_rank(xs, q=0.5):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = max(0, -(-len(xs) * q // 1) - 1)
    return xs[int(k)]


def us(ns):
    return f"{ns / 1e3:.1f} µs"


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.split("Usage:")[1].strip())
        return 0 if argv else 2
    path = argv[0]
    phase = 1
    if len(argv) == 3 and argv[1] == "--phase" and argv[2] in ("1", "2"):
        phase = int(argv[2])
    elif len(argv) != 1:
        print("wakeup-split.py: usage: wakeup-split.py TRACE.json [--phase 1|2]", file=sys.stderr)
        return 2
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"wakeup-split.py: {path}: {e}", file=sys.stderr)
        return 2
    ev = doc.get("traceEvents") if isinstance(doc, dict) else doc
    if not isinstance(ev, list):
        print(f"wakeup-split.py: {path}: not a trace (no traceEvents; a gort JSON trace from --trace FILE.json?)", file=sys.stderr)
        return 2
    # the trace's timestamps are µs from the trace's start; the waits carry the runtime's ns clock
    waits = [e for e in ev if e.get("ph") == "X" and e.get("pid") == 2 and str(e.get("name", "")).startswith(f"mark {phase} wait")]
    if not waits:
        print(f"wakeup-split.py: {path}: no 'mark {phase} wait' slices (a gort JSON trace of a run with a coordinator?)", file=sys.stderr)
        return 2
    # goroutine stretches on each P, by P, sorted by start
    procs = collections.defaultdict(list)
    for e in ev:
        if e.get("ph") == "X" and e.get("pid") == 0 and isinstance(e.get("tid"), int) and e["tid"] < 1000000 \
                and str(e.get("name", "")).startswith("G") and "args" in e:
            procs[e["tid"]].append(e)
    for v in procs.values():
        v.sort(key=lambda e: e["ts"])
    seg = re.compile(r"(running on P(\d+)|runnable: [^0-9]*?(?:P(\d+))?[^0-9]*?|blocked \([^)]*\)) ([\d.]+) ms")
    rows = collections.defaultdict(list)
    for w in waits:
        a = w["args"]
        if "done_ns" not in a or "resumed_ns" not in a or a.get("delay_ns", -1) < 0:
            continue
        parts = [p.strip() for p in a["path"].split("->")]
        if len(parts) < 2 or not parts[-2].startswith("runnable") or not parts[-1].startswith("running"):
            continue  # not readied (a wakeup already set before the coordinator parked, or a note)
        runnable_ns = float(parts[-2].rsplit(" ", 2)[-2]) * 1e6
        running_ns = float(parts[-1].rsplit(" ", 2)[-2]) * 1e6
        delay = a["delay_ns"]
        done_to_ready = max(0.0, delay - runnable_ns - running_ns)
        m = re.search(r"of P(\d+)", parts[-2])
        end, to_end = "?", float("nan")
        if m:
            p = int(m.group(1))
            # the CAS's time on the trace's clock: the wait's slice ends when the coordinator resumed
            done_ts = w["ts"] + w["dur"] - delay / 1e3
            for s in procs.get(p, []):
                if s["ts"] <= done_ts + 0.5 and s["ts"] + s["dur"] >= done_ts - 0.5:
                    end = s["args"].get("end", "?")
                    to_end = (s["ts"] + s["dur"] - done_ts) * 1e3
                    break
        rows[a.get("completer", "?")].append((delay, done_to_ready, runnable_ns, running_ns, end, to_end))
    print(f"{path}: mark {phase} waits ended by a ready, per completer (medians, nearest rank)")
    for kind, rs in sorted(rows.items(), key=lambda kv: -len(kv[1])):
        print(f"  {kind}: n={len(rs)} delay {us(nearest_rank([r[0] for r in rs]))}: CAS -> readied {us(nearest_rank([r[1] for r in rs]))}, "
              f"readied -> on a P {us(nearest_rank([r[2] for r in rs]))}, on a P -> resumed {us(nearest_rank([r[3] for r in rs]))}")
        ends = collections.defaultdict(list)
        for r in rs:
            ends[r[4]].append(r[5])
        for reason, ts in sorted(ends.items(), key=lambda kv: -len(kv[1])):
            print(f"      the completer's P's goroutine then: {reason}: {len(ts)}, {us(nearest_rank(ts))} after the CAS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
