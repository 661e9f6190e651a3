#!/usr/bin/env bash
# What the execution tracer costs: json throughput (GOMAXPROCS=4) with --trace on against off,
# in one run with the two interleaved (off/on, then on/off, ...) so machine drift hits both alike;
# prints each round with its ratio, and the median of the per-round ratios of throughput on/off
# (ops per second; a round's two runs are back to back, so their ratio is what drift spoils least).
# Usage: bench/trace-cost.sh [--rounds K] [--seconds S] [--format pftrace|json]   (default: 5 rounds of 6 s, pftrace)
set -euo pipefail
die() { echo "trace-cost.sh: $*" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"   # sets gort_root
cd "$gort_root"
rounds=5 secs=6 fmt=pftrace
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) [ $# -ge 2 ] || die "--rounds needs a number"; rounds=$2; shift 2 ;;
    --seconds) [ $# -ge 2 ] || die "--seconds needs a number"; secs=$2; shift 2 ;;
    --format) [ $# -ge 2 ] || die "--format needs pftrace or json"; fmt=$2; shift 2 ;;
    -h|--help) sed -n '2,5s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, got '$rounds'"
[[ "$secs" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--seconds must be a positive number, got '$secs'"
[ "$fmt" = pftrace ] || [ "$fmt" = json ] || die "--format must be pftrace or json, got '$fmt'"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
./gort --version >/dev/null   # build before measuring
one() { # $1 = off|on: prints ns per op
  local extra=()
  [ "$1" = on ] && extra=(--trace "$tmp/t.$fmt")
  ./gort run json --procs 4 --seconds "$secs" "${extra[@]}" | sed -n 's/^json: .* ns_per_op=\([0-9.]*\).*/\1/p'
}
offs=() ons=()
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then a=$(one off); b=$(one on); else b=$(one on); a=$(one off); fi
  offs+=("$a"); ons+=("$b")
  size=$(stat -c %s "$tmp/t.$fmt")
  echo "round $r: off $a ns/op, on $b ns/op, throughput on/off $(python3 -c "print(f'{$a/$b:.3f}')") (trace $((size / 1000000)) MB)"
done
python3 - "${offs[*]}" "${ons[*]}" <<'PY'
import statistics, sys
off = [float(x) for x in sys.argv[1].split()]
on = [float(x) for x in sys.argv[2].split()]
mo, mn = statistics.median(off), statistics.median(on)
ratios = sorted(a / b for a, b in zip(off, on))
print(f"medians: off {mo/1e6:.2f} ms/op, on {mn/1e6:.2f} ms/op; throughput on/off: median of rounds {statistics.median(ratios):.3f} "
      f"(min {ratios[0]:.3f}, max {ratios[-1]:.3f}), ratio of medians {mo/mn:.3f}")
PY
