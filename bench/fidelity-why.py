#!/usr/bin/env python3
"""Why a `gort fidelity` figure differs from Go 1.5.1's: from the logs a fidelity run keeps in its
--out directory (rN-CONFIG-RUNTIME.log, each with gctrace, gcpacertrace and gcwakeup lines, as Go
1.5.1's anchor and gort print them), per configuration and runtime, over the cycles after each
run's first quarter (the warm-up), pooled over the rounds:

- heap: the cycle's length (gctrace's clock phases summed), its allocation as gctrace shows it (heap at termination - heap at start), the
  bytes marked, Go 1.5's reachable-heap estimate (marked - allocated during the cycle, of which the
  next cycle's gctrace goal is twice) and how many goals gctrace printed as 0 MB; then the pacer's
  own overshoot, H_a - H_T (the heap at termination past the trigger), and H_a / H_g;
- mark CPU: the shares of assists, background (dedicated and fractional) and idle workers in the
  cycles' mark CPU time (gctrace's a/b/c);
- mark 1's wakeup delay per completer kind (gcwakeup by=1 worker, 2 assist, 3 scheduler): n, p50.

Medians are nearest rank. Usage: bench/fidelity-why.py DIR [CONFIG ...]
  e.g. bench/anchors.sh fidelity --rounds 3 --out /tmp/fid && bench/fidelity-why.py /tmp/fid
"""
import collections
import glob
import os
import re
import sys

GC = re.compile(r"^gc \d+ @[\d.]+s \d+%: ([\d.+]+) ms clock, ([\d.+/]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, \d+ P$")
PACER = re.compile(r"^pacer: H_m_prev=(\d+) .*H_T=(\d+) .*H_a=(\d+) .*H_g=(\d+)")
WAKE = re.compile(r"^gcwakeup phase=1 by=(\d) delay_ns=(-?\d+)")
KINDS = {"1": "worker", "2": "assist", "3": "scheduler"}


def p50(xs):
    xs = sorted(xs)
    return xs[(len(xs) + 1) // 2 - 1] if xs else float("nan")


def after_warmup(lines):
    return lines[len(lines) // 4:]


def read(files):
    gcs, pacers, wakes = [], [], collections.defaultdict(list)
    for f in files:
        with open(f, errors="replace") as fh:
            lines = fh.read().splitlines()
        gcs += after_warmup([m for m in map(GC.match, lines) if m])
        pacers += after_warmup([m for m in map(PACER.match, lines) if m])
        for m in map(WAKE.match, lines):
            if m and int(m.group(2)) >= 0:
                wakes[KINDS.get(m.group(1), m.group(1))].append(int(m.group(2)))
    return gcs, pacers, wakes


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.split("Usage:")[1].strip())
        return 0 if argv else 2
    d = argv[0]
    if not os.path.isdir(d):
        print(f"fidelity-why.py: {d}: not a directory (give a fidelity --out directory)", file=sys.stderr)
        return 2
    logs = sorted(glob.glob(os.path.join(d, "r*-*.log")))
    if not logs:
        print(f"fidelity-why.py: {d}: no rN-CONFIG-RUNTIME.log files", file=sys.stderr)
        return 2
    runtimes = ("go1.5.1", "gort-matched", "gort")
    configs = argv[1:] or sorted({re.sub(r"^r\d+-", "", os.path.basename(f)).rsplit("-go", 1)[0]
                                  for f in logs if f.endswith(tuple(f"-{r}.log" for r in runtimes))})
    for cfg in configs:
        print(cfg)
        for rt in runtimes:
            files = glob.glob(os.path.join(d, f"r*-{cfg}-{rt}.log"))
            if not files:
                continue
            gcs, pacers, wakes = read(files)
            if not gcs:
                print(f"  {rt}: no gctrace lines")
                continue
            alloc = [int(m.group(4)) - int(m.group(3)) for m in gcs]
            marked = [int(m.group(5)) for m in gcs]
            reach = [mk - a for mk, a in zip(marked, alloc)]
            zero = sum(1 for m in gcs if m.group(6) == "0")
            cpu = [0.0, 0.0, 0.0]
            for m in gcs:
                parts = m.group(2).split("+")
                if len(parts) >= 5:
                    abc = parts[3].split("/")
                    for i in range(3):
                        cpu[i] += float(abc[i])
            tot = sum(cpu) or float("nan")
            clock = [sum(float(x) for x in m.group(1).split("+")) for m in gcs]
            line = (f"  {rt}: n={len(gcs)} cycle {p50(clock):.1f} ms, alloc in cycle {p50(alloc)} MB, marked {p50(marked)} MB, "
                    f"reachable est. {p50(reach)} MB, goal 0 MB in {zero}")
            if pacers:
                over = [(int(m.group(3)) - int(m.group(2))) / 1e6 for m in pacers]
                ratio = [int(m.group(3)) / int(m.group(4)) for m in pacers if int(m.group(4)) > 0]
                line += f"; H_a-H_T {p50(over):.1f} MB, H_a/H_g mean {sum(ratio) / len(ratio):.2f}"
            print(line)
            print(f"      mark CPU: assist {100 * cpu[0] / tot:.0f}%, background {100 * cpu[1] / tot:.0f}%, idle {100 * cpu[2] / tot:.0f}%; "
                  "mark 1 wakeup p50 by " + ", ".join(f"{k} {p50(v) / 1e3:.1f} µs (n={len(v)})" for k, v in sorted(wakes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
