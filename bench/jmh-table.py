#!/usr/bin/env python3
"""What a handle costs (docs/BENCHMARKS.md), from the JSON result file of a JMH run of HandleBench
(`bench/jmh.sh HandleBench -f 1 -wi 3 -i 5 -rf json -rff FILE`): per operation, the median of the
measured iterations (every fork's pooled) and their range, handle API beside raw addresses. Any
other benchmark in the file is listed below the table the same way.

Usage: bench/jmh-table.py FILE
"""
import json
import statistics
import sys

# (the row's words, the handle API's benchmark, the raw-address one or None)
ROWS = [
    ("allocate a 2-pointer node", "ptrAlloc", "rawAlloc"),
    ("build and check a depth-10 tree, per node", "ptrTree", "rawTree"),
    ("open and close a scope", "scopeOpenClose", None),
]


def die(msg):
    """Bad input: one line naming it, exit status 2."""
    print(f"jmh-table.py: {msg}", file=sys.stderr)
    sys.exit(2)


def usage():
    print(__doc__.strip(), file=sys.stderr)
    sys.exit(2)


def fig(v):
    return f"{v:.3g}"


def main(argv):
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        usage()
    try:
        with open(argv[0], encoding="utf-8") as fh:
            results = json.load(fh)
        runs = {}
        for r in results:
            m = r["primaryMetric"]
            its = [v for fork in m["rawData"] for v in fork]
            runs[r["benchmark"].rsplit(".", 1)[-1]] = (its, m["scoreUnit"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        die(f"{argv[0]}: not a JMH JSON result file ({e})")
    if not runs:
        die(f"{argv[0]}: no benchmark results")

    def cell(name):
        if name is None or name not in runs:
            return "—"
        its, unit = runs[name]
        unit = unit.replace("/op", "")
        return f"{fig(statistics.median(its))} {unit} [{fig(min(its))}–{fig(max(its))}]"

    n = max(len(its) for its, _ in runs.values())
    print(f"per operation: the median of the measured iterations ({n} per benchmark) and their range\n")
    print("| operation | handle API | raw addresses |")
    print("|---|---|---|")
    known = set()
    for words, ptr, raw in ROWS:
        if ptr in runs or raw in runs:
            print(f"| {words} | {cell(ptr)} | {cell(raw)} |")
            known.update({ptr, raw})
    for name in runs:
        if name not in known:
            print(f"{name}: {cell(name)}")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        die(f"{' '.join(sys.argv[1:])}: not the input this script reads ({type(e).__name__}: {e})")
