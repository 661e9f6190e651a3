#!/usr/bin/env python3
"""anchors/go15/check-reference.py [--runs K]: does gort's build of the Go 1.5.1 anchor behave as a
reference build of the same design does?

The reference is a folder with its own build.sh (printing its binary's path, with the patched
toolchain in go/ beside the binary): $GORT_GO15_REFERENCE, else ../shared/anchors/go15 beside the
clone. Without a reference, or without Go 1.5.1's source tarball (anchors/go15/tarball.sh), the
check is skipped with one line saying why (exit 0). Otherwise both are built (each cached by its
build.sh), and the check compares:

  1. the completer accounting, in the source: every call that completes a mark phase in the two
     patched runtimes, as (function, phase, by= code); the two lists must be equal;
  2. the output, on the same input (gort's json document, `gort gen json`), under each protocol
     and assist mode (GCWAKEUP unset, note, park, park-yield; GCASSISTBLOCK=0 and unset), K runs
     each, the builds alternating: the benchmark's result line and the gctrace, pacer and gcwakeup
     lines must have the same fields (numbers aside); each cycle must have one gcwakeup line per
     phase, phase 1 before phase 2, with by= 1, 2 or 3;
  3. the protocols, by what they do: per configuration, the mark-1 wakeup delay's median, the
     median of the wakeups an assist completed and the completers' shares are printed side by
     side, and each build is asked for the two Go changes' effects (non-blocking assists): note's
     mark-1 median at least CLAIM_RATIO times park-yield's (CL 9291), park's assist-completed
     median at least CLAIM_RATIO times park-yield's (CL 12670); an effect that shows in one build
     and not in the other fails the check (one missing in both is printed: too few cycles, take
     more --runs). Single medians are not compared: with a few cycles per run they swing by
     orders of magnitude from run to run in either build. A run still going
     after STALL_S seconds is stopped and counted as stalled (note can stall at the end of a run,
     in both builds: anchors/README.md); the lines it printed are compared all the same.

Exit status: 0 same (or skipped), 1 a difference (each printed), 2 bad usage.
"""
import os, re, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CONFIGS = [  # (label, GCWAKEUP, GCASSISTBLOCK); None: unset
    ("default", None, None), ("note", "note", "0"), ("park", "park", "0"), ("park-yield", "park-yield", "0"),
    ("park:block", "park", None), ("park-yield:block", "park-yield", None)]
STALL_S = 30  # a run of one op per goroutine takes a few seconds; one still going after this has stalled
CLAIM_RATIO = 10  # how much slower the older protocol must be for a claim to hold


def say(msg):
    print("check-reference: " + msg, flush=True)


def build(script):
    r = subprocess.run([script], stdout=subprocess.PIPE, text=True)
    if r.returncode != 0:
        say(f"{script} failed (exit {r.returncode})")
        sys.exit(1)
    return r.stdout.strip().splitlines()[-1]


def call_sites(runtime_dir):
    """(function, phase, by) of every completing call in the patched mgc.go and mgcmark.go."""
    consts = {}
    for f in os.listdir(runtime_dir):
        if f.endswith(".go"):
            for m in re.finditer(r"^\s*(gcCompleter\w+)\s*=\s*(\d+)", open(os.path.join(runtime_dir, f)).read(), re.M):
                consts[m[1]] = int(m[2])
    sites = []
    for f in ("mgc.go", "mgcmark.go"):
        func = None
        for line in open(os.path.join(runtime_dir, f)):
            m = re.match(r"func (?:\([^)]*\) )?(\w+)", line)
            if m:
                func = m[1]
            for c in re.finditer(r"work\.bgMark([12])\.complete\w*\((\w*)\)", line):
                arg = c[2]
                by = int(arg) if arg.isdigit() else consts.get(arg, arg or None)
                sites.append((func, int(c[1]), by))
    return sorted(sites, key=str)


NUM = re.compile(r"[+-]?\d+(\.\d+)?(e[+-]\d+)?")


def shape(line):
    return NUM.sub("N", line.strip())


def parse(err_text):
    """gctrace/pacer/gcwakeup line shapes, per-cycle wakeup sequences, mark-1 delays and completers,
    and the delays of the wakeups an assist completed (either phase)."""
    shapes, cycles, delays, completers, assisted, pending = set(), [], [], [], [], []
    for line in err_text.splitlines():
        if line.startswith(("gc ", "pacer:", "gcwakeup ")):
            shapes.add(shape(line))
        m = re.match(r"gcwakeup phase=(\d+) by=(\d+) delay_ns=(-?\d+)", line)
        if m:
            pending.append((int(m[1]), int(m[2])))
            if m[2] == "2":
                assisted.append(int(m[3]))
            if m[1] == "1":
                delays.append(int(m[3]))
            completers.append((int(m[1]), int(m[2])))
        elif re.match(r"gc \d+ @", line):
            cycles.append(pending)
            pending = []
    return shapes, cycles, delays, completers, assisted


def main():
    runs = 3
    args = sys.argv[1:]
    while args:
        if args[0] == "--runs" and len(args) > 1 and args[1].isdigit() and int(args[1]) > 0:
            runs = int(args[1]); args = args[2:]
        else:
            print("usage: anchors/go15/check-reference.py [--runs K]", file=sys.stderr)
            sys.exit(2)
    ref = os.environ.get("GORT_GO15_REFERENCE") or os.path.join(os.path.dirname(ROOT), "shared", "anchors", "go15")
    if not os.access(os.path.join(ref, "build.sh"), os.X_OK):
        say(f"skipped: no reference build at {ref} (set GORT_GO15_REFERENCE to a folder with its build.sh)")
        return 0
    t = subprocess.run(["bash", "-c", f'source "{HERE}/tarball.sh" && go15_tarball'], capture_output=True, text=True)
    if t.returncode != 0:
        say("skipped: " + t.stderr.strip())
        return 0
    say("building gort's anchor and the reference (each cached by its build.sh)...")
    bins = {"gort": build(os.path.join(HERE, "build.sh")), "reference": build(os.path.join(ref, "build.sh"))}
    failures = []

    # 1. the completer accounting, in the source
    sites = {k: call_sites(os.path.join(os.path.dirname(b), "go", "src", "runtime")) for k, b in bins.items()}
    if sites["gort"] != sites["reference"]:
        failures.append(f"the completing calls differ: gort {sites['gort']}, reference {sites['reference']}")
    else:
        say("completing calls (function, phase, by=): " + ", ".join(f"{f} {p} {b}" for f, p, b in sites["gort"]))

    # 2 and 3. the output on the same input, under each configuration
    with tempfile.TemporaryDirectory(prefix="gort-go15-check") as tmp:
        doc = os.path.join(tmp, "doc.json")
        subprocess.run([os.path.join(ROOT, "gort"), "gen", "json", "--out", doc], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        print(f"\n{'config':<18} {'build':<10} {'cycles':>6} {'mark-1 p50':>11} {'assisted p50':>14}  "
              "completers of mark 1, of mark 2 (by=1 worker, 2 assist, 3 scheduler)")
        seen = {}
        for label, wakeup, block in CONFIGS:
            got = {k: {"out": set(), "shapes": set(), "cycles": [], "delays": [], "completers": [], "assisted": [], "stalled": 0}
                   for k in bins}
            for r in range(runs):
                order = list(bins) if r % 2 == 0 else list(reversed(list(bins)))
                for k in order:
                    env = {e: v for e, v in os.environ.items() if e not in ("GCWAKEUP", "GCASSISTBLOCK", "GOGC", "GODEBUG")}
                    env.update(GOMAXPROCS="4", GODEBUG="gctrace=1,gcpacertrace=1")
                    if wakeup:
                        env["GCWAKEUP"] = wakeup
                    if block:
                        env["GCASSISTBLOCK"] = block
                    p = subprocess.Popen([bins[k], "json", "-n", "1", "-input", doc], env=env, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True)
                    try:
                        out, err = p.communicate(timeout=STALL_S)
                    except subprocess.TimeoutExpired:
                        p.kill()
                        out, err = p.communicate()
                        got[k]["stalled"] += 1  # note can stall at a run's end (README); its lines so far still count
                    else:
                        if p.returncode != 0:
                            failures.append(f"{label}: the {k} build exited {p.returncode}: {err.strip()[-300:]}")
                            continue
                        got[k]["out"] |= {shape(l) for l in out.splitlines()}
                    g = got[k]
                    s, c, d, b, a = parse(err)
                    g["shapes"] |= s; g["cycles"] += c; g["delays"] += d; g["completers"] += b; g["assisted"] += a
            for k, g in got.items():
                bad = [c for c in g["cycles"] if [ph for ph, _ in c] != [1, 2] or any(b not in (1, 2, 3) for _, b in c)]
                if bad:
                    failures.append(f"{label}: {len(bad)} of the {k} build's {len(g['cycles'])} cycles lack one gcwakeup line per "
                                    f"phase with by= 1, 2 or 3 (first: {bad[0]})")
                p50 = statistics.median(g["delays"]) if g["delays"] else float("nan")
                g["p50"] = p50
                g["assist_p50"] = statistics.median(g["assisted"]) if g["assisted"] else float("nan")
                mix = "   ".join(" ".join(f"{b}:{g['completers'].count((ph, b)) * 100 // max(1, len(g['cycles']))}%" for b in (1, 2, 3))
                                  for ph in (1, 2))
                print(f"{label:<18} {k:<10} {len(g['cycles']):>6} {p50 / 1e6:>9.3f} ms {g['assist_p50'] / 1e6:>11.3f} ms  {mix}"
                      + (f"  ({g['stalled']} of {runs} runs stalled, stopped after {STALL_S} s)" if g["stalled"] else ""))
            a, b = got["gort"], got["reference"]
            if a["out"] and b["out"] and a["out"] != b["out"]:
                failures.append(f"{label}: the result lines differ: gort {sorted(a['out'])}, reference {sorted(b['out'])}")
            if a["shapes"] != b["shapes"]:
                failures.append(f"{label}: trace lines only gort's build prints: {sorted(a['shapes'] - b['shapes'])}; "
                                f"only the reference's: {sorted(b['shapes'] - a['shapes'])}")
            seen[label] = got
        # 3. the protocols, by the effects the two Go changes claim (non-blocking assists, as in their time)
        for claim, num, den, key in [("CL 9291: note's mark-1 median over park-yield's", "note", "park-yield", "p50"),
                                     ("CL 12670: park's assist-completed median over park-yield's", "park", "park-yield", "assist_p50")]:
            ratios = {k: seen[num][k][key] / seen[den][k][key] for k in bins}
            holds = {k: ratios[k] >= CLAIM_RATIO for k in bins}
            say(f"{claim}: " + ", ".join(f"{k} {ratios[k]:.0f}x" for k in bins) + f" (the claim: at least {CLAIM_RATIO}x)")
            if holds["gort"] != holds["reference"]:
                failures.append(f"{claim} is {ratios['gort']:.1f}x in gort's build, {ratios['reference']:.1f}x in the reference's: "
                                f"the claim holds in one build only")
    print()
    for f in failures:
        say("DIFFERENT: " + f)
    if failures:
        return 1
    say(f"same: gort's anchor and the reference's agree (accounting, line formats, {runs} runs per configuration)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
