#!/usr/bin/env python3
"""The runnext ablation's table in docs/BENCHMARKS.md, from the JSON of several runs of
`./gort compare json --wakeup park --vary runnext=1,0 --json FILE` (one file per run, each with
one entry per runnext setting, as compare writes them).

The wakeups that `ready` can change are those where a background worker (dedicated, fractional or
idle) completed a phase and readied the coordinator onto its own P: into `runnext` (also when a
later ready kicked it from there to the queue's tail) or, under runnext=0, at the run queue's tail.
Those completions of both marks are pooled over the runs, per setting, from the cycle records
(`records[].mark1/mark2`: completer, waited, wakeup_ns); the percentiles are nearest-rank (the
smallest value with at least that share of the pool at or below it). Below the table, each
setting's median over the runs of the summaries' mark 1 and mark 2 wakeup p50, the runs' own
figures in brackets, and who completed each mark (all runs).

Usage: bench/runnext-table.py RUN1.json RUN2.json ...
  e.g. for i in 1 2 3; do ./gort compare json --procs 4 --wakeup park --seconds 8 \\
         --vary runnext=1,0 --json /tmp/r$i.json; done
       bench/runnext-table.py /tmp/r1.json /tmp/r2.json /tmp/r3.json
"""
import json
import math
import statistics
import sys

WORKERS = {"dedicated", "fractional", "idle"}
READIED = {"runnext", "runnext_kicked", "runq_tail"}
ROW_NAME = {"runnext=1": "into `runnext` (Go)", "runnext=0": "at the run queue's tail (`runnext=0`)"}


def die(msg):
    """Bad input: one line naming it, exit status 2."""
    print(f"runnext-table.py: {msg}", file=sys.stderr)
    sys.exit(2)


def usage():
    print(__doc__.strip(), file=sys.stderr)
    sys.exit(2)


def dur(ns):
    if ns is None:
        return "-"
    for unit, div in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= div:
            return f"{ns / div:.3g} {unit}"
    return f"{ns:.0f} ns"


def rank(xs, p):
    """Nearest-rank percentile of the sorted list xs (p in 0..1)."""
    return xs[max(0, math.ceil(p * len(xs)) - 1)]


def load(path):
    try:
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
        return [(s["label"], s) for s in d["strategies"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        die(f"{path}: not a compare --json file ({e})")


def main(files):
    if not files:
        usage()
    runs = [load(f) for f in files]
    labels = [label for label, _ in runs[0]]
    for f, r in zip(files[1:], runs[1:]):
        if [label for label, _ in r] != labels:
            die(f"{f} compared {', '.join(l for l, _ in r)}, the first file {', '.join(labels)}")
    pooled = {label: [] for label in labels}
    for r in runs:
        for label, s in r:
            for rec in s.get("records", []):
                for mark in ("mark1", "mark2"):
                    c = rec.get(mark)
                    if c and c["completer"] in WORKERS and c["waited"] in READIED:
                        pooled[label].append(c["wakeup_ns"])

    print(f"{len(runs)} runs; worker-completed wakeups where the coordinator was readied, both marks, pooled\n")
    print("| worker-completed, readied | n | p25 | p50 | p75 | p90 | over 1 ms |")
    print("|---|---|---|---|---|---|---|")
    for label in labels:
        xs = sorted(pooled[label])
        name = ROW_NAME.get(label, label)
        if not xs:
            print(f"| {name} | 0 | - | - | - | - | - |")
            continue
        over = sum(1 for x in xs if x > 1e6)
        print(f"| {name} | {len(xs)} | " + " | ".join(dur(rank(xs, p)) for p in (0.25, 0.5, 0.75, 0.9))
              + f" | {over} ({100 * over / len(xs):.0f}%) |")

    print()
    for label in labels:
        for mark in ("mark1", "mark2"):
            vs = [s[f"wakeup_{mark}_ns"].get("p50") for r in runs for l, s in r if l == label]
            known = [v for v in vs if v is not None]
            m = dur(statistics.median(known)) if known else "-"
            by = {k: sum(s.get(f"{mark}_completed_by", {}).get(k, 0) for r in runs for l, s in r if l == label)
                  for k in ("worker", "assist", "scheduler", "arming")}
            n = sum(by.values())
            mix = "/".join(f"{100 * v / n:.0f}" for v in by.values()) if n else "-"
            print(f"{label} {mark[:4]} {mark[4]}: wakeup p50 {m} [{', '.join(dur(v) for v in vs)}]; "
                  f"completed by worker/assist/scheduler/arming {mix} % of {n}")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        die(f"{' '.join(sys.argv[1:])}: not the input this script reads ({type(e).__name__}: {e})")
