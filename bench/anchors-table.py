#!/usr/bin/env python3
"""The table "Beside Go 1.19 and the JDK's virtual threads" of docs/BENCHMARKS.md, from the JSON that
`bench/anchors.sh all` writes (bench/results/anchors-STAMP.json): per benchmark, gort's and Go
1.19's medians over the rounds, gort ÷ Go of the medians with each round's own ratio in brackets,
gort ÷ the JDK's where the JDK ran it, and the target.

Usage: bench/anchors-table.py bench/results/anchors-STAMP.json
"""
import json
import sys

# benchmark -> (the row's words, unit divisor, unit, target)
ROWS = {
    "pingpong": ("pingpong: a round trip over two unbuffered channels, GOMAXPROCS=1", 1, "ns", 1.3),  # and under the JDK
    "alloc": ("alloc: a 24-byte object into a live ring, GOMAXPROCS=2", 1, "ns", 1.5),
    "bintree": ("bintree depth 18, GOMAXPROCS=2", 1e9, "s", 2.0),
    "json": ("json, the embedded document, GOMAXPROCS=4", 1e6, "ms/op", None),
}


def die(msg):
    """Bad input: one line naming it, exit status 2."""
    print(f"anchors-table.py: {msg}", file=sys.stderr)
    sys.exit(2)


def usage():
    print(__doc__.strip(), file=sys.stderr)
    sys.exit(2)


def fig(ns, div, unit):
    return "-" if ns is None else f"{ns / div:.3g} {unit}"


def main(argv):
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        usage()
    try:
        with open(argv[0], encoding="utf-8") as fh:
            d = json.load(fh)
        benches = d["benchmarks"]
        meta = f"{d['rounds']} rounds, gort {d['gort_commit']}, {d['go']}, {d['date']}"
    except (OSError, ValueError, KeyError, TypeError) as e:
        die(f"{argv[0]}: not a bench/anchors.sh JSON file ({e})")
    print(f"{meta}; ratios of the medians over the rounds, each round's ratio in brackets\n")
    print("| benchmark | gort | Go 1.19 | gort ÷ Go [rounds] | target |")
    print("|---|---|---|---|---|")
    missed = []
    for b in benches:
        name = b["benchmark"]
        words, div, unit, target = ROWS.get(name, (name, 1, "ns", None))
        med = b["median_ns_per_op"]
        rounds = b["rounds"]
        go_by_round = {x["round"]: x["ns_per_op"] for x in rounds.get("go", [])}
        per = [x["ns_per_op"] / go_by_round[x["round"]] for x in rounds.get("gort", []) if go_by_round.get(x["round"])]
        ratio = b.get("ratio_gort_go")
        cell = "-" if ratio is None else f"**{ratio:.2f}** [{' '.join(f'{r:.2f}' for r in per)}]"
        if b.get("ratio_gort_loom") is not None:
            cell += f" (÷ JDK {b['ratio_gort_loom']:.2f})"
        tgt = "—" if target is None else f"≤ {target:g}x" + (" Go, under the JDK" if name == "pingpong" else "")
        if name == "pingpong" and (b.get("ratio_gort_loom") or 0) >= 1:
            missed.append("pingpong (not under the JDK)")
        if target is not None and per and max(per) > target:
            missed.append(f"{name} ({sum(1 for r in per if r > target)} of {len(per)} rounds over {target:g}x)")
        print(f"| {words} | {fig(med.get('gort'), div, unit)} | {fig(med.get('go'), div, unit)} | {cell} | {tgt} |")
    print("\nEvery benchmark is within its target in every round." if not missed
          else "\nOver the target: " + ", ".join(missed) + ".")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        die(f"{' '.join(sys.argv[1:])}: not the input this script reads ({type(e).__name__}: {e})")
