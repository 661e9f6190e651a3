#!/usr/bin/env bash
# The simulated platform's determinism (docs/BENCHMARKS.md): `gort determinism` hashes each
# target's trace and records (host-dependent fields left out: see DeterminismCommand) per seed.
# This launches it twice over the whole matrix (json, bintree, alloc, pingpong, and the ticker and
# timeouts examples, which use select and timers; seeds 1..20), then once under -Xint and once
# under the host's Serial collector for the first 3 seeds, and prints per target how many seeds
# gave the same hash in each comparison and how many distinct hashes its seeds gave.
# Usage: bench/determinism.sh [SEEDS [SEEDS_OTHER_HOSTS [XINT_TARGETS]]]   (defaults 20, 3, all)
# XINT_TARGETS (e.g. bintree,alloc,pingpong,ticker,timeouts) limits the -Xint launch: interpreted,
# one json run took more than 10 minutes of host time on the loaded 2-core machine.
# On the JDK 25 the launcher finds. Exit status 1 if a hash differed or a run failed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"   # sets gort_root
gort_find_jdk || exit 1
cd "$gort_root"
seeds=${1:-20}
few=${2:-3}
xint_only=${3:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./gort --version >/dev/null   # builds once, before anything is timed
run() { # $1 = file, $2 = seeds, $3 = targets (empty: all), rest = GORT_JAVA_OPTS
  local f=$1 n=$2 only=$3; shift 3
  local t0=$SECONDS
  local sel=(--seeds "1..$n")
  [ -n "$only" ] && sel+=(--only "$only")
  echo "launch: GORT_JAVA_OPTS='$*' gort determinism ${sel[*]}" >&2
  GORT_JAVA_OPTS="$*" ./gort determinism "${sel[@]}" >"$out/$f" 2>"$out/$f.err" || { cat "$out/$f.err" >&2; echo "FAILED: $f" >&2; }
  echo "  $((SECONDS - t0)) s" >&2
}
run a.txt "$seeds" ""
run b.txt "$seeds" ""
run serial.txt "$few" "" -XX:-UseParallelGC -XX:+UseSerialGC
run xint.txt "$few" "$xint_only" -Xint
python3 - "$out" "$seeds" "$few" <<'PY'
import sys, collections
d, seeds, few = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def read(f):
    m = {}
    for line in open(f"{d}/{f}"):
        if line.startswith("#") or not line.strip():
            continue
        name, seed, h = line.split()
        m[(name, int(seed))] = h
    return m
a, b, x, s = read("a.txt"), read("b.txt"), read("xint.txt"), read("serial.txt")
names = list(dict.fromkeys(n for n, _ in a))
bad = 0
print(f"{'target':10} {'launch 1 = launch 2':>20} {'= under -Xint':>14} {'= under Serial GC':>18} {'distinct hashes':>16}")
for n in names:
    def same(other, k):
        keys = [(n, i) for i in range(1, k + 1)]
        ok = sum(1 for key in keys if key in a and a[key] != "FAILED" and other.get(key) == a[key])
        return ok, len(keys)
    xk = few if any(k[0] == n for k in x) else 0  # (a target left out of the -Xint launch: 0 of 0)
    r = [same(b, seeds), same(x, xk), same(s, few)]
    hs = [a.get((n, i)) for i in range(1, seeds + 1)]
    distinct = len(set(h for h in hs if h and h != "FAILED"))
    bad += sum(k - ok for ok, k in r)
    print(f"{n:10} {'%d of %d' % r[0]:>20} {'%d of %d' % r[1]:>14} {'%d of %d' % r[2]:>18} {'%d of %d' % (distinct, seeds):>16}")
print("all equal" if bad == 0 else f"{bad} hashes differed or failed")
sys.exit(1 if bad else 0)
PY
