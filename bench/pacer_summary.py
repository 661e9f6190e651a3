#!/usr/bin/env python3
"""Summarises `bench/anchors.sh pacer`: heap at mark termination / goal per system, and the
GOMEMLIMIT lines. Usage: pacer_summary.py MANIFEST OUT_JSON LIMIT_BYTES [meta...]

MANIFEST: tab-separated lines "round system kind stdout stderr json", kind "gort" or "go".
- gort: every non-forced cycle record of the run's --json output (the measured repetitions),
  heap_at_termination / heap_goal, both in bytes.
- go: every cycle of Go 1.19's GODEBUG=gctrace=1 lines, "A->B->C MB, D MB goal": B / D (Go prints
  whole MB, truncated, so small heaps round coarsely); beside it the same ratio in bytes from
  gcpacertrace's end-of-cycle line "in T B -> L B (∆goal X, ...)": L / (L - X) (Go prints no
  such line for a cycle that ended at or below its trigger).
Peak memory: gort's heap_sys_mb (the high-water mark of its arena) and the largest heap at mark
termination; Go's heap_sys_mb and the largest B.
"""
import json, re, statistics, sys, datetime

manifest, out_json, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
meta = sys.argv[4:]
MB = 1 << 20
GCTRACE = re.compile(r"^gc \d+ .*?(\d+)->(\d+)->(\d+) MB, (\d+) MB goal", re.M)
PACER_END = re.compile(r"^pacer: .* in (\d+) B -> (\d+) B \(\u2206goal (-?\d+),", re.M)
HEAP_SYS = re.compile(r"heap_sys_mb=([0-9.]+)")

systems = {}  # name -> {"kind", "rounds": [...]}
for line in open(manifest, encoding="utf-8"):
    rnd, name, kind, out, err, js = line.rstrip("\n").split("\t")
    stdout = open(out, encoding="utf-8").read()
    stderr = open(err, encoding="utf-8").read()
    sysmb = HEAP_SYS.findall(stdout)
    r = {"round": int(rnd), "heap_sys": float(sysmb[-1]) * MB if sysmb else None}
    if kind == "gort":
        d = json.load(open(js, encoding="utf-8"))
        recs = [c for s in d["strategies"] for c in s["records"] if not c["forced"] and c["heap_goal"] > 0]
        r["ratios"] = [c["heap_at_termination"] / c["heap_goal"] for c in recs]
        r["peak_term"] = max((c["heap_at_termination"] for c in recs), default=0)
        r["mean_term"] = statistics.mean(c["heap_at_termination"] for c in recs) if recs else 0
        r["over_limit"] = sum(1 for c in recs if c["heap_at_termination"] > limit)
    else:
        g = [(int(a), int(b), int(c), int(dd)) for a, b, c, dd in GCTRACE.findall(stderr)]
        r["ratios"] = [b / dd for a, b, c, dd in g if dd > 0]
        r["peak_term"] = max((b for a, b, c, dd in g), default=0) * MB
        r["mean_term"] = statistics.mean(b for a, b, c, dd in g) * MB if g else 0
        r["over_limit"] = sum(1 for a, b, c, dd in g if b * MB > limit)
        p = [(int(t), int(l), int(x)) for t, l, x in PACER_END.findall(stderr)]
        r["ratios_bytes"] = [l / (l - x) for t, l, x in p if l - x > 0]
    systems.setdefault(name, {"kind": kind, "rounds": []})["rounds"].append(r)

def pooled(name, key="ratios"):
    return [v for r in systems[name]["rounds"] for v in r.get(key, [])]

f2 = lambda x: "-" if x is None else f"{x:.3f}"
hdr = f"{'system':<34} {'cycles':>6} {'mean':>6} {'max':>6} {'p50':>6} {'p90':>6}   per round (cycles mean/max)"
print("heap at mark termination / goal, cycles pooled over the rounds")
print(hdr)
print("-" * len(hdr))
rows = []
for name, s in systems.items():
    if "limit" in name:
        continue
    xs = sorted(pooled(name))
    if not xs:
        print(f"{name:<34} {0:>6}   (no cycles)")
        continue
    q = lambda p: xs[min(len(xs) - 1, int(p * len(xs)))]
    per = "  ".join(f"{len(r['ratios'])} {statistics.mean(r['ratios']):.3f}/{max(r['ratios']):.3f}" for r in s["rounds"] if r["ratios"])
    print(f"{name:<34} {len(xs):>6} {f2(statistics.mean(xs)):>6} {f2(max(xs)):>6} {f2(q(0.5)):>6} {f2(q(0.9)):>6}   {per}")
    row = {"system": name, "cycles": len(xs), "mean": statistics.mean(xs), "max": max(xs), "p50": q(0.5), "p90": q(0.9),
           "rounds": s["rounds"]}
    xb = pooled(name, "ratios_bytes")
    if xb:
        print(f"{'  (same, in bytes: gcpacertrace)':<34} {len(xb):>6} {f2(statistics.mean(xb)):>6} {f2(max(xb)):>6}")
        row["bytes"] = {"cycles": len(xb), "mean": statistics.mean(xb), "max": max(xb)}
    rows.append(row)

print(f"\nGOMEMLIMIT={limit // MB}MiB (the same workload; peaks over all rounds)")
for name, s in systems.items():
    rs = s["rounds"]
    cycles = sum(len(r["ratios"]) for r in rs)
    peak = max(r["peak_term"] for r in rs)
    sysv = [r["heap_sys"] for r in rs if r["heap_sys"] is not None]
    over = sum(r["over_limit"] for r in rs)
    mean_term = statistics.mean(r["mean_term"] for r in rs)
    print(f"  {name:<32} cycles {cycles:>4}: heap at termination mean {mean_term / MB:6.1f} MB, peak {peak / MB:6.1f} MB "
          f"({peak / limit:.2f}x limit), {over} cycles over the limit; HeapSys peak "
          + ("-" if not sysv else f"{max(sysv) / MB:.1f} MB ({max(sysv) / limit:.2f}x)"))
    for r in rows:
        if r["system"] == name:
            r.update({"limit_view": {"peak_term": peak, "heap_sys": max(sysv) if sysv else None, "over_limit": over}})
    if "limit" in name:
        rows.append({"system": name, "cycles": cycles, "peak_term": peak, "mean_term": mean_term, "over_limit": over,
                     "heap_sys": max(sysv) if sysv else None, "rounds": rs})

json.dump({"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "limit": limit, "meta": meta,
           "systems": rows}, open(out_json, "w", encoding="utf-8"), indent=2)
print(f"\nwrote {out_json}")
