#!/usr/bin/env python3
"""The wakeup experiment's table in docs/BENCHMARKS.md, from the JSON of several runs of
`./gort compare json --json FILE` (one file per run, or one `--rounds N` file, whose rounds count as
runs): each cell is the median of the runs' figures,
the runs' own figures in brackets where the table says so; then where the coordinator waited after
mark 1 (each place's share of the waits and their p50, medians over the runs with their range), and
the verdicts on the two CLs' claims.

Usage: bench/wakeup-table.py RUN1.json RUN2.json ...
  e.g. for i in 1 2 3; do ./gort compare json --procs 4 --seconds 8 --json /tmp/w$i.json; done
       bench/wakeup-table.py /tmp/w1.json /tmp/w2.json /tmp/w3.json
"""
import json
import statistics
import sys


def die(msg):
    """Bad input: one line naming it, exit status 2."""
    print(f"wakeup-table.py: {msg}", file=sys.stderr)
    sys.exit(2)


def usage():
    print(__doc__.strip(), file=sys.stderr)
    sys.exit(2)


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


# compare's mark1_waited keys (gort.sched.Enqueued, lower case) in the words its table uses
WAITED = {"none": "ran on", "runnext": "runnext", "runq_tail": "run queue tail", "runnext_kicked": "kicked from runnext",
          "global_preempted": "global queue, preempted", "global_gosched": "global queue, Gosched",
          "global_syscall": "global queue, after a syscall", "syscall_with_p": "syscall exit with a P"}


def span(vs, fmt):
    """The runs' range of a figure: "a–b", or "a" when every run gave the same."""
    lo, hi = fmt(min(vs)), fmt(max(vs))
    return lo if lo == hi else f"{lo}–{hi}"


def slow_mark2(runs, label):
    """Mark 2's wakeups over 1 ms in the cycle records, of all its wakeups, pooled over the runs."""
    ws = [rec["mark2"]["wakeup_ns"] for r in runs for rec in r[label].get("records", []) if rec.get("mark2")]
    return f"{sum(1 for w in ws if w > 1e6)} of {len(ws)}" if ws else "-"


def waited_table(runs, labels):
    """Where the coordinator was when it ran again after mark 1 (compare's mark1_waited): per place, its
    share of the waits and the p50 of those waits, each the median over the runs with their range."""
    places = []
    for r in runs:
        for l in labels:
            for k, p in r[l].get("mark1_waited", {}).items():
                if p.get("count") and k not in places:
                    places.append(k)
    if not places:
        return
    print("\nMark 1: where the coordinator waited. Per place, its share of the waits and the p50 of those waits: "
          "the median over the runs, the runs' range in brackets.\n")
    print("| waited in | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    share = lambda v: f"{100 * v:.0f}%"
    for k in places:
        cells = []
        for l in labels:
            counts = [r[l].get("mark1_waited", {}).get(k, {}).get("count", 0) for r in runs]
            totals = [sum(p.get("count", 0) for p in r[l].get("mark1_waited", {}).values()) for r in runs]
            shares = [c / t for c, t in zip(counts, totals) if t]
            if not any(counts):
                cells.append("-")
                continue
            p50s = [r[l]["mark1_waited"][k]["p50"] for r in runs if r[l].get("mark1_waited", {}).get(k, {}).get("count")]
            if len(runs) == 1:
                cells.append(f"{share(shares[0])}, p50 {dur(p50s[0])}")
                continue
            cells.append(f"{share(statistics.median(shares))} [{span(shares, share)}], p50 {dur(statistics.median(p50s))}"
                         f" [{span(p50s, dur)}]")
        print(f"| {WAITED.get(k, k)} | " + " | ".join(cells) + " |")


def main(files):
    if len(files) < 1:
        usage()
    runs = []
    for f in files:
        try:
            with open(f) as fh:
                rounds = {}  # a compare --rounds N file holds N runs of each strategy: each round counts as a run
                for s in json.load(fh)["strategies"]:
                    rounds.setdefault(s.get("round", 1), {})[s["label"]] = s
                runs.extend(rounds[r] for r in sorted(rounds))
        except (OSError, ValueError, KeyError) as e:
            die(f"{f}: not a compare --json file ({e})")
    labels = list(runs[0])
    for r in runs[1:]:
        if set(r) != set(labels):
            die("the runs compared different strategies: " + ", ".join(labels) + " vs " + ", ".join(r))

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
    print("| mark 2 wakeups over 1 ms, all runs | " + " | ".join(slow_mark2(runs, l) for l in labels) + " |")
    def host(g):
        longest = f" ({dur(g['max_ns'])})" if g["count"] else ""
        return f"{g['count']}{longest} [{g['count_whole_run']}]"

    print("| host JVM collections in the measured window (the longest) [in the whole run], per run | "
          + " | ".join(", ".join(host(r[l]["jvm_gc"]) for r in runs) if all("jvm_gc" in r[l] for r in runs) else "-"
                       for l in labels) + " |")
    waited_table(runs, labels)

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
    try:
        main(sys.argv[1:])
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        die(f"{' '.join(sys.argv[1:])}: not the input this script reads ({type(e).__name__}: {e})")
