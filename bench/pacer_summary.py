#!/usr/bin/env python3
"""The pacer tables of docs/BENCHMARKS.md, from the runs of `bench/anchors.sh pacer`.

Usage: pacer_summary.py MANIFEST [OUT_JSON [meta...]]
  MANIFEST: bench/results/pacer-STAMP/manifest.tsv, which anchors.sh writes beside every run's
  output: a first line "#limit<TAB>BYTES" (the GOMEMLIMIT of the limit rows), then tab-separated
  lines "round system kind stdout stderr json", kind "gort" or "go", file names relative to the
  manifest's directory. Prints the tables; with OUT_JSON, writes every figure there too.
  e.g. bench/pacer_summary.py bench/results/pacer-20261206-160000/manifest.tsv

What is read:
- gort: every non-forced cycle record of the run's --json output (the measured repetitions):
  heap_at_termination / heap_goal, both in bytes; and every gcpacertrace end-of-cycle line of the
  run (warm-up included) for its cons/mark estimate.
- go: every cycle of Go 1.19's GODEBUG=gctrace=1 lines, "A->B->C MB, D MB goal": B / D (Go prints
  whole MB, truncated, so small heaps round coarsely); beside it the same ratio in bytes from
  gcpacertrace's end-of-cycle line "in T B -> L B (∆goal X, cons/mark C)": L / (L - X) (Go prints
  no such line for a cycle that ended at or below its trigger), and C.
Peak memory: gort's heap_sys_mb (the high-water mark of its arena) and the largest heap at mark
termination; Go's heap_sys_mb and the largest B.

The third table says what gort's go118 rows are made of, per system without a limit, each figure
the median over the round's cycles, then the median over the rounds with their range: cons/mark;
how often the trigger sat at its lower bound (45/64 of the way from the previous cycle's
heap_marked to the goal: the previous record's next_gc against its heap_marked and this record's
heap_goal, for consecutive cycles; go118's bound, go15 has none); and the heap's way to mark
termination in three steps, each ÷ the goal: where mark 1 completed, what the mutators allocated
while the coordinator woke, and what mark 2 added up to mark termination. go15 prints no cons/mark. Beside cons/mark, from the same lines
("for H+S+G B work"), the stacks' and the globals' scan work of a cycle.
"""
import datetime
import json
import math
import os
import re
import statistics
import sys

MB = 1 << 20
GCTRACE = re.compile(r"^gc \d+ .*?(\d+)->(\d+)->(\d+) MB, (\d+) MB goal", re.M)
PACER_END = re.compile(r"^pacer: .* in (\d+) B -> (\d+) B \(\u2206goal (-?\d+), cons/mark ([-+0-9.e]+)\)", re.M)
PACER_WORK = re.compile(r"^pacer: .* for (\d+)\+(\d+)\+(\d+) B work", re.M)
HEAP_SYS = re.compile(r"heap_sys_mb=([0-9.]+)")
LOWER_BOUND = 45 / 64


def die(msg):
    """Bad input: one line naming it, exit status 2."""
    print(f"pacer_summary.py: {msg}", file=sys.stderr)
    sys.exit(2)


def usage():
    print(__doc__.strip(), file=sys.stderr)
    sys.exit(2)


def read(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as e:
        die(f"cannot read {path} ({e.strerror})")


def gort_round(r, js):
    try:
        d = json.loads(read(js))
        recs = [c for s in d["strategies"] for c in s["records"] if not c["forced"]]
    except (ValueError, KeyError, TypeError) as e:
        die(f"{js}: not a gort --json file ({e})")
    counted = [c for c in recs if c["heap_goal"] > 0]
    r["ratios"] = [c["heap_at_termination"] / c["heap_goal"] for c in counted]
    r["peak_term"] = max((c["heap_at_termination"] for c in counted), default=0)
    r["mean_term"] = statistics.mean(c["heap_at_termination"] for c in counted) if counted else 0
    r["over_limit"] = sum(1 for c in counted if c["heap_at_termination"] > r["limit"])
    # the trigger's place between the previous cycle's heap_marked and this cycle's goal
    pos = []
    for prev, c in zip(recs, recs[1:]):
        room = c["heap_goal"] - prev["heap_marked"]
        if c["cycle"] == prev["cycle"] + 1 and room > 0:
            pos.append((prev["next_gc"] - prev["heap_marked"]) / room)
    r["trigger_pos"] = pos
    steps = {"mark1_done": [], "wakeup": [], "mark2": []}
    for c in counted:
        m1 = c.get("mark1")
        if m1:
            steps["mark1_done"].append(m1["heap_at_done"] / c["heap_goal"])
            steps["wakeup"].append((m1["heap_at_resume"] - m1["heap_at_done"]) / c["heap_goal"])
            steps["mark2"].append((c["heap_at_termination"] - m1["heap_at_resume"]) / c["heap_goal"])
    r["steps"] = steps


def go_round(r, stderr):
    g = [(int(a), int(b), int(c), int(dd)) for a, b, c, dd in GCTRACE.findall(stderr)]
    r["ratios"] = [b / dd for a, b, c, dd in g if dd > 0]
    r["peak_term"] = max((b for a, b, c, dd in g), default=0) * MB
    r["mean_term"] = statistics.mean(b for a, b, c, dd in g) * MB if g else 0
    r["over_limit"] = sum(1 for a, b, c, dd in g if b * MB > r["limit"])
    p = PACER_END.findall(stderr)
    r["ratios_bytes"] = [int(l) / (int(l) - int(x)) for t, l, x, cm in p if int(l) - int(x) > 0]


def load(manifest):
    base = os.path.dirname(manifest)
    lines = read(manifest).splitlines()
    if not lines or not lines[0].startswith("#limit\t"):
        die(f"{manifest}: the first line must be '#limit<TAB>BYTES' (bench/anchors.sh pacer writes it)")
    try:
        limit = int(lines[0].split("\t")[1])
    except ValueError:
        die(f"{manifest}: the limit '{lines[0].split(chr(9))[1]}' is not a byte count")
    systems = {}  # name -> {"kind", "rounds": [...]}, in the manifest's order
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 6 or fields[2] not in ("gort", "go") or not fields[0].isdigit():
            die(f"{manifest}:{n}: expected 'round system gort|go stdout stderr json', got '{line}'")
        rnd, name, kind, out, err, js = fields
        path = lambda f: f if os.path.isabs(f) else os.path.join(base, f)
        stdout, stderr = read(path(out)), read(path(err))
        sysmb = HEAP_SYS.findall(stdout)
        r = {"round": int(rnd), "limit": limit, "heap_sys": float(sysmb[-1]) * MB if sysmb else None,
             "cons_mark": [float(cm) for *_, cm in PACER_END.findall(stdout + "\n" + stderr)],
             "roots": [(int(st), int(gl)) for h, st, gl in PACER_WORK.findall(stdout + "\n" + stderr)]}
        if kind == "gort":
            gort_round(r, path(js))
        else:
            go_round(r, stderr)
        del r["limit"]
        systems.setdefault(name, {"kind": kind, "rounds": []})["rounds"].append(r)
    if not systems:
        die(f"{manifest}: no runs listed")
    return limit, systems


def kb(v):
    return f"{v / 1000:.3g}"


def rank(xs, p):
    """Nearest-rank percentile of the sorted list xs (p in 0..1)."""
    return xs[max(0, math.ceil(p * len(xs)) - 1)]


def f2(x):
    return "-" if x is None else f"{x:.2f}"


def med_range(vals, fmt):
    """"median [lo–hi]" of per-round figures (None left out; no range when they print alike), "-" when none."""
    vs = [v for v in vals if v is not None]
    if not vs:
        return "-"
    lo, hi = fmt(min(vs)), fmt(max(vs))
    return fmt(statistics.median(vs)) + ("" if lo == hi else f" [{lo}–{hi}]")


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        usage()
    manifest, out_json, meta = argv[0], argv[1] if len(argv) > 1 else None, argv[2:]
    limit, systems = load(manifest)
    nrounds = max(r["round"] for s in systems.values() for r in s["rounds"])

    def pooled(name, key="ratios"):
        return [v for r in systems[name]["rounds"] for v in r.get(key, [])]

    print(f"Heap at mark termination ÷ goal, the cycles of {nrounds} round(s) pooled (p50, p90: nearest rank).\n")
    print(f"| system | cycles ({nrounds} rounds) | mean | max | p50 | p90 |")
    print("|---|---|---|---|---|---|")
    rows, per_round = [], []
    for name, s in systems.items():
        if "limit" in name:
            continue
        xs = sorted(pooled(name))
        label = f"gort `{name[5:]}`" if s["kind"] == "gort" else f"{name} (gctrace, MB)"
        if not xs:
            print(f"| {label} | 0 | - | - | - | - |")
            continue
        q = lambda p: rank(xs, p)
        print(f"| {label} | {len(xs)} | {f2(statistics.mean(xs))} | {f2(max(xs))} | {f2(q(0.5))} | {f2(q(0.9))} |")
        row = {"system": name, "cycles": len(xs), "mean": statistics.mean(xs), "max": max(xs), "p50": q(0.5), "p90": q(0.9),
               "rounds": s["rounds"]}
        xb = pooled(name, "ratios_bytes")
        if xb:
            print(f"| {name} (gcpacertrace, bytes) | {len(xb)} | {f2(statistics.mean(xb))} | {f2(max(xb))} | | |")
            row["bytes"] = {"cycles": len(xb), "mean": statistics.mean(xb), "max": max(xb)}
        per_round.append(f"{label}: " + ", ".join(f"{statistics.mean(r['ratios']):.2f}/{max(r['ratios']):.2f}"
                                                   for r in s["rounds"] if r["ratios"]))
        rows.append(row)
    print("\nPer round (mean/max): " + "; ".join(per_round))

    print(f"\nGOMEMLIMIT={limit // MB}MiB on the same workload; peaks over all rounds.\n")
    print("| system | cycles | heap at termination: mean | peak | peak ÷ limit | cycles over the limit | HeapSys peak |")
    print("|---|---|---|---|---|---|---|")
    for name, s in systems.items():
        rs = s["rounds"]
        cycles = sum(len(r["ratios"]) for r in rs)
        peak = max(r["peak_term"] for r in rs)
        sysv = [r["heap_sys"] for r in rs if r["heap_sys"] is not None]
        over = sum(r["over_limit"] for r in rs)
        mean_term = statistics.mean(r["mean_term"] for r in rs)
        label = name.replace(" limit", f" limit {limit // MB}MiB")
        print(f"| {label} | {cycles} | {mean_term / MB:.1f} MB | {peak / MB:.1f} MB | {peak / limit:.2f} | {over} | "
              + ("-" if not sysv else f"{max(sysv) / MB:.1f} MB") + " |")
        for r in rows:
            if r["system"] == name:
                r["limit_view"] = {"peak_term": peak, "heap_sys": max(sysv) if sysv else None, "over_limit": over}
        if "limit" in name:
            rows.append({"system": name, "cycles": cycles, "peak_term": peak, "mean_term": mean_term, "over_limit": over,
                         "heap_sys": max(sysv) if sysv else None, "rounds": rs})

    print("\nWhat the rows without a limit are made of: per round the median over its cycles, then the median of the "
          "rounds [their range].\n")
    print("| system | cons/mark | stacks + globals scanned (KB) | trigger at its lower bound (go118) | mark 1 done ÷ goal | "
          "the wakeup's growth, % of the goal | mark 2's growth, % of the goal |")
    print("|---|---|---|---|---|---|---|")
    pct = lambda v: f"{100 * v:.0f}%"
    med = lambda xs: statistics.median(xs) if xs else None
    for name, s in systems.items():
        if "limit" in name:
            continue
        rs = s["rounds"]
        cm = med_range([med(r["cons_mark"]) for r in rs], lambda v: f"{v:.2f}")
        roots = " + ".join(med_range([med([x[i] for x in r["roots"]]) for r in rs], kb) for i in (0, 1)) \
            if any(r["roots"] for r in rs) else "-"
        if s["kind"] != "gort":
            print(f"| {name} | {cm} | {roots} | | | | |")
            continue
        at_bound = [sum(1 for p in r["trigger_pos"] if p <= LOWER_BOUND + 1e-3) / len(r["trigger_pos"])
                    if r["trigger_pos"] else None for r in rs]
        growth = lambda v: f"{100 * v:.1f}%"
        steps = [med_range([med(r["steps"]["mark1_done"]) for r in rs], f2)]
        steps += [med_range([med(r["steps"][k]) for r in rs], growth) for k in ("wakeup", "mark2")]
        bound = med_range(at_bound, pct) if "go118" in name else "—"  # go15's trigger has no such bound
        print(f"| gort `{name[5:]}` | {cm} | {roots} | {bound} | " + " | ".join(steps) + " |")

    if out_json:
        with open(out_json, "w", encoding="utf-8") as fh:
            json.dump({"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "limit": limit,
                       "meta": meta, "systems": rows}, fh, indent=2)
        print(f"\nwrote {out_json}")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        die(f"{' '.join(sys.argv[1:])}: not the input this script reads ({type(e).__name__}: {e})")
