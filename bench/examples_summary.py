#!/usr/bin/env python3
"""The two steps of `bench/anchors.sh examples` that read files.

examples_summary.py output GO_STDOUT GORT_STDOUT
    Does gort's stdout hold Go's output once per run of the program and nothing else? `gort
    bench` runs the program's main several times in one JVM (a warm-up, then the measured
    repetitions); every run's output must be Go's, line for line. `gort bench` writes each
    run's output to a file of its own and names them on its stdout ("the program's output of
    each run: DIR/{warmup,run-1,...}.txt"): those files are read, run by run, as if printed
    after its stdout. Copies of Go's output are taken out of all that; what is left must be
    gort's own lines about the benchmark (those starting with "bench ", naming an ns_per_
    figure, or naming the run files). Prints one word and a count:
    "ok N" (N copies), "none 0" (gort printed no copy of the program's output, so nothing was
    compared) or "differs K" (K lines that are neither Go's output nor gort's own), and, for
    "differs", a diff of Go's output against gort's from the first such line, on stderr.

examples_summary.py table OUT_JSON
    Prints the table of docs/BENCHMARKS.md from what summary wrote to OUT_JSON
    (bench/results/examples-STAMP.json).

examples_summary.py summary RAW OUT_JSON ROUNDS PROCS GO_VERSION JAVA_VERSION COMMIT CPUS
    RAW: tab-separated lines "name kind arg port procs round system ns detail status", system
    "go" or "gort", ns the time of one run of the program (Go: the whole process; gort: its
    ns_per_op, the median of its repetitions), detail a JSON list (gort's repetitions), status
    the output check ("ok N", "none 0", "differs K" or "failed", followed by ";procs N" when
    gort's JSON says it ran at another GOMAXPROCS) or "-". Prints the table (medians over the rounds, gort / Go, the
    target), writes every figure to OUT_JSON, then prints docs/BENCHMARKS.md's table from it (table below). Exit status 1 when any gort run failed or
    printed something else than Go.
"""
import datetime, difflib, json, os, socket, statistics, sys

TARGET = {"sched": 1.5, "alloc": 2.0}
KIND = {"sched": "channel/scheduler", "alloc": "allocation"}


RUN_FILES = "the program's output of each run: "


def die(msg):
    """Bad input: one line naming it, exit status 2."""
    print(f"examples_summary.py: {msg}", file=sys.stderr)
    sys.exit(2)


def usage():
    print(__doc__.strip(), file=sys.stderr)
    sys.exit(2)


def own_line(line):
    return line.startswith("bench ") or "ns_per_" in line or line.startswith(RUN_FILES)


def run_outputs(stdout):
    """The lines of the run files that gort bench's stdout names, warmup first, then run-1, run-2, ..."""
    lines = []
    for line in stdout:
        if not line.startswith(RUN_FILES):
            continue
        d = os.path.dirname(line[len(RUN_FILES):])
        names = [n for n in os.listdir(d) if n.endswith(".txt")] if os.path.isdir(d) else []
        order = lambda n: (0, 0) if n == "warmup.txt" else (1, int(n[4:-4])) if n[4:-4].isdigit() else (2, n)
        for n in sorted(names, key=order):
            lines += open(os.path.join(d, n), encoding="utf-8", errors="replace").read().splitlines()
    return lines


def check_output(go_path, gort_path):
    go = open(go_path, encoding="utf-8", errors="replace").read().splitlines()
    out = open(gort_path, encoding="utf-8", errors="replace").read().splitlines()
    out += run_outputs(out)
    copies, stray, i = 0, [], 0
    while i < len(out):
        if go and out[i:i + len(go)] == go:
            copies += 1
            i += len(go)
        else:
            if not own_line(out[i]):
                stray.append((i + 1, out[i]))
            i += 1
    if stray:
        print(f"differs {len(stray)}")
        first = stray[0][0] - 1
        shown = list(difflib.unified_diff(go, out[first:first + len(go)], "Go", f"gort (from line {first + 1} of its stdout followed by its run files)", lineterm=""))
        for line in shown[:20]:
            print("  " + line, file=sys.stderr)
    elif copies == 0:
        print("none 0")
    else:
        print(f"ok {copies}")


def describe(status):
    word, _, n = status.partition(" ")
    return {"differs": f"DIFFERS from Go's (stray lines: {n})",
            "failed": "FAILED (gort bench exited with an error or wrote no JSON)",
            "procs": f"WRONG GOMAXPROCS (gort ran at {n})"}.get(word, status)


def fmt_ns(ns):
    if ns is None:
        return "-"
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    return f"{ns / 1e6:.0f} ms"


def summary(raw, out_json, rounds, procs, gover, jver, commit, ncpu):
    cells = {}  # (name, procs) -> cell
    order = []
    for line in open(raw, encoding="utf-8"):
        name, kind, arg, port, p, rnd, system, ns, detail, status = line.rstrip("\n").split("\t")
        key = (name, int(p))
        if key not in cells:
            order.append(key)
            cells[key] = {"example": name, "kind": kind, "argument": arg,
                          "port": None if port == "-" else port, "procs": int(p), "go": [], "gort": []}
        entry = {"round": int(rnd), "ns": None if ns == "-" else float(ns)}
        if system == "gort":
            entry["reps_ns"] = json.loads(detail)
            entry["output"] = status
        cells[key][system].append(entry)

    def med(xs):
        xs = [x["ns"] for x in xs if x["ns"] is not None]
        return statistics.median(xs) if xs else None

    bad = False
    hdr = (f"{'example':<11} {'kind':<18} {'GOMAXPROCS':>10} {'Go 1.19':>9} {'gort':>9} "
           f"{'gort/Go':>8} {'target':>7} {'met':>4}  output")
    print(hdr)
    print("-" * (len(hdr) + 12))
    rows = []
    for key in order:
        c = cells[key]
        g, o = med(c["gort"]), med(c["go"])
        ratio = g / o if g is not None and o else None
        target = TARGET[c["kind"]]
        met = "-" if ratio is None else ("yes" if ratio <= target else "no")
        if c["port"] is None:
            out = "no port yet"
        else:
            parts = [part for x in c["gort"] for part in x["output"].split(";")]
            wrong = [part for part in parts if not part.startswith(("ok", "none"))]
            bad = bad or bool(wrong)
            copies = sorted(set(int(part.split()[1]) for part in parts if part.startswith("ok")))
            if wrong:
                out = "; ".join(sorted(set(describe(part) for part in wrong)))
            elif not copies:
                out = "not compared (gort printed none of it)"
            elif any(part.startswith("none") for part in parts):
                out = "same as Go where gort printed it (some rounds printed none)"
            else:
                out = "same as Go in every run of main (runs a round: " + "/".join(map(str, copies)) + ")"
        print(f"{c['example']:<11} {KIND[c['kind']]:<18} {c['procs']:>10} {fmt_ns(o):>9} {fmt_ns(g):>9} "
              f"{'-' if ratio is None else f'{ratio:.2f}':>8} {'<= ' + str(target) + 'x':>7} {met:>4}  {out}")
        rows.append({**c, "median_ns": {"go": o, "gort": g}, "ratio_gort_go": ratio,
                     "target_ratio": target, "within_target": None if ratio is None else ratio <= target})
    print("\nraw ms per round (Go: one process run; gort: ns_per_op, the median of its repetitions):")
    for key in order:
        c = cells[key]
        for system in ("go", "gort"):
            xs = c[system]
            if xs and any(x["ns"] is not None for x in xs):
                print(f"  {c['example']:<11} P={c['procs']:<3} {system:<5} "
                      + "  ".join("-" if x["ns"] is None else f"{x['ns'] / 1e6:.0f}" for x in xs))
    with open(out_json, "w", encoding="utf-8") as fh:
        json.dump({"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                   "host": socket.gethostname(), "cpus": int(ncpu), "rounds": int(rounds),
                   "procs": [int(p) for p in procs.split(",")], "gort_commit": commit, "go": gover,
                   "java": jver, "examples": rows}, fh, indent=2)
    print(f"\nwrote {out_json}\n")
    table(out_json)
    return 1 if bad else 0


def table(path):
    """The markdown table of docs/BENCHMARKS.md from a summary's OUT_JSON: per example and GOMAXPROCS,
    both medians (ms), gort / Go of the medians with each round's ratio in brackets, the target."""
    try:
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
        cells = d["examples"]
        meta = f"{d['rounds']} rounds, gort {d['gort_commit']}, {d['go']}, {d['date']}"
    except (OSError, ValueError, KeyError, TypeError) as e:
        die(f"{path}: not a summary JSON of bench/anchors.sh examples ({e})")
    ms = lambda ns: "-" if ns is None else f"{ns / 1e6:.0f}"
    print(f"{meta}; medians over the rounds (ms), gort ÷ Go of the medians, each round's ratio in brackets\n")
    print("| example | kind | GOMAXPROCS | Go 1.19 | gort | gort ÷ Go [rounds] | target |")
    print("|---|---|---|---|---|---|---|")
    last, wrong = None, []
    for c in cells:
        go = {x["round"]: x["ns"] for x in c["go"]}
        per = [x["ns"] / go[x["round"]] for x in c["gort"] if x["ns"] is not None and go.get(x["round"])]
        r, target = c["ratio_gort_go"], c["target_ratio"]
        cell = "-" if r is None else f"**{r:.2f}** [{' '.join(f'{v:.2f}' for v in per)}]"
        met = "" if r is None or r <= target else ": **missed**"
        first = c["example"] != last
        last = c["example"]
        wrong += [f"{c['example']} P={c['procs']}" for x in c["gort"] if not str(x.get("output", "ok")).startswith("ok")]
        print(f"| {c['example'] if first else ''} | {KIND[c['kind']] if first else ''} | {c['procs']} | {ms(c['median_ns']['go'])} | "
              f"{ms(c['median_ns']['gort'])} | {cell} | ≤ {target:g}x{met} |")
    print("\nEvery run of every port printed Go's output." if not wrong
          else "\nRuns that did not print Go's output: " + ", ".join(sorted(set(wrong))) + ".")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "output":
        check_output(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        try:
            table(sys.argv[2])
        except (KeyError, TypeError, AttributeError, IndexError) as e:
            die(f"{sys.argv[2]}: not a summary JSON of bench/anchors.sh examples ({type(e).__name__}: {e})")
    elif len(sys.argv) == 10 and sys.argv[1] == "summary":
        sys.exit(summary(*sys.argv[2:]))
    else:
        usage()
