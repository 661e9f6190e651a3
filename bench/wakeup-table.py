#!/usr/bin/env python3
"""The wakeup experiment's table in docs/BENCHMARKS.md, from the JSON of several runs of
`./gort compare json --json FILE` (one file per run, or one `--rounds N` file, whose rounds count as
runs): each cell is the median of the runs' figures, the runs' own figures in brackets where the
table says so.

Usage: bench/wakeup-table.py RUN1.json RUN2.json ...
  e.g. for i in 1 2 3; do ./gort compare json --procs 4 --seconds 8 --json /tmp/w$i.json; done
       bench/wakeup-table.py /tmp/w1.json /tmp/w2.json /tmp/w3.json
"""
import json
import statistics
import sys


def dur(ns):
    if ns is None:
        return "-"
    for unit, div in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= div:
            v = ns / div
            return f"{v:.3g} {unit}"
    return f"{ns:.0f} ns"


def pct(p, key):
    return None if p is None or p.get(key) is None else p[key]


def mix(m):
    n = sum(m.values())
    if n == 0:
        return "-"
    return "/".join(f"{100 * m[k] / n:.0f}" for k in ("worker", "assist", "scheduler", "arming")) + f" ({n})"


def main(files):
    if len(files) < 1:
        sys.exit(__doc__)
    runs = []
    for f in files:
        try:
            with open(f) as fh:
                rounds = {}  # a compare --rounds N file holds N runs of each strategy: each round counts as a run
                for s in json.load(fh)["strategies"]:
                    rounds.setdefault(s.get("round", 1), {})[s["label"]] = s
                runs.extend(rounds[r] for r in sorted(rounds))
        except (OSError, ValueError, KeyError) as e:
            sys.exit(f"wakeup-table.py: {f}: not a compare --json file ({e})")
    labels = list(runs[0])
    for r in runs[1:]:
        if set(r) != set(labels):
            sys.exit("wakeup-table.py: the runs compared different strategies: " + ", ".join(labels) + " vs " + ", ".join(r))

    def cell(get, fmt, brackets):
        def f(label):
            vs = [get(r[label]) for r in runs]
            known = [v for v in vs if v is not None]
            if not known:
                return "-"
            m = fmt(statistics.median(known))
            return f"{m} [{', '.join(fmt(v) if v is not None else '-' for v in vs)}]" if brackets and len(vs) > 1 else m
        return f

    ratio = lambda v: f"{v:.2f}"
    rows = [
        ("GC cycles (concurrent)", cell(lambda s: s["cycles"], lambda v: f"{v:.0f}", False)),
        ("mark 1 wakeup p50", cell(lambda s: pct(s["wakeup_mark1_ns"], "p50"), dur, True)),
        ("mark 1 wakeup p99", cell(lambda s: pct(s["wakeup_mark1_ns"], "p99"), dur, True)),
        ("mark 2 wakeup p50", cell(lambda s: pct(s["wakeup_mark2_ns"], "p50"), dur, True)),
        ("mark 2 wakeup p99", cell(lambda s: pct(s["wakeup_mark2_ns"], "p99"), dur, True)),
        ("worker-completed p50 (both marks)", cell(lambda s: pct(s["wakeup_worker_ns"], "p50"), dur, False)),
        ("assist-completed p50 (both marks)", cell(lambda s: pct(s["wakeup_assist_ns"], "p50"), dur, True)),
        ("heap at mark termination ÷ goal, mean", cell(lambda s: s["heap_over_goal"].get("mean"), ratio, False)),
        ("heap at mark termination ÷ H_g, mean", cell(lambda s: s["heap_over_hg"].get("mean"), ratio, False)),
        ("largest pause (ms)", cell(lambda s: max(s["sweep_term_max_ns"], s["mark_term_max_ns"]) / 1e6, lambda v: f"{v:.1f}", False)),
        ("throughput (ops/s)", cell(lambda s: s["ops_per_sec"], lambda v: f"{v:.1f}", False)),
    ]
    print(f"{len(runs)} runs; each cell the median of the runs' figures, the runs' own in brackets\n")
    print("| | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for name, f in rows:
        print(f"| {name} | " + " | ".join(f(l) for l in labels) + " |")
    print("| mark 1 completed by worker/assist/scheduler/arming, % (n), all runs | "
          + " | ".join(mix({k: sum(r[l].get("mark1_completed_by", {}).get(k, 0) for r in runs)
                            for k in ("worker", "assist", "scheduler", "arming")}) for l in labels) + " |")

    def med(label, get):
        vs = [get(r[label]) for r in runs if label in r and get(r[label]) is not None]
        return statistics.median(vs) if vs else None

    m1 = lambda s: pct(s["wakeup_mark1_ns"], "p50")
    asst = lambda s: pct(s["wakeup_assist_ns"], "p50")
    note, yld = med("note", m1), med("park-yield", m1)
    park_a, yld_a = med("park", asst), med("park-yield", asst)
    if note and yld:
        print(f"\nCL 9291: note's mark 1 p50 {dur(note)} (>= 10 ms: {'yes' if note >= 10e6 else 'NO'}), "
              f"{note / yld:.0f}x park-yield's (>= 30x: {'yes' if note >= 30 * yld else 'NO'})")
    if park_a and yld_a:
        print(f"CL 12670: assist-completed park / park-yield {park_a / yld_a:.0f}x (>= 10x: {'yes' if park_a >= 10 * yld_a else 'NO'})")


if __name__ == "__main__":
    main(sys.argv[1:])
