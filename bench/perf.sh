#!/usr/bin/env bash
# Profile one gort command with Linux perf: CPU-clock samples of every thread, JIT-compiled Java
# methods named through the JVM's perf map (-XX:+DumpPerfMapAtExit). Prints the hottest methods
# (all threads together, since goroutines move between Ms) and the busiest threads; perf.data stays
# in the output directory for `perf report -i DIR/perf.data` (the map is /tmp/perf-<pid>.map).
# Usage: bench/perf.sh [--freq HZ] [--top N] [--out DIR] -- <gort arguments>
#   e.g. bench/perf.sh -- bench alloc --reps 3
#        bench/perf.sh --top 40 -- bench bintree --depth 18 --procs 2
set -euo pipefail
die() { echo "perf.sh: $*" >&2; exit 1; }
usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }

freq=999 top=25 out=
while [ $# -gt 0 ]; do
  case "$1" in
    --freq) [ $# -ge 2 ] || die "--freq needs a number"; freq=$2; shift 2 ;;
    --top) [ $# -ge 2 ] || die "--top needs a number"; top=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a directory"; out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    *) die "unknown option '$1' (the gort command goes after --; see --help)" ;;
  esac
done
[[ "$freq" =~ ^[1-9][0-9]*$ ]] || die "--freq must be a positive integer (samples per second), got '$freq'"
[[ "$top" =~ ^[1-9][0-9]*$ ]] || die "--top must be a positive integer, got '$top'"
[ $# -gt 0 ] || die "no gort command given (e.g. bench/perf.sh -- bench alloc --reps 3)"
command -v perf >/dev/null || die "perf not found: install Linux perf (Debian: apt-get install linux-perf)"

source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"   # sets gort_root
[ -n "$out" ] || out="$gort_root/bench/results/perf-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
perf record -q -e cpu-clock -o "$out/probe.data" -- true >/dev/null 2>&1 \
  || die "perf cannot record here (try: sysctl kernel.perf_event_paranoid=1, or run as root)"
rm -f "$out/probe.data"

echo "perf.sh: ./gort $* (samples at $freq Hz into $out/perf.data)" >&2
GORT_JAVA_OPTS="${GORT_JAVA_OPTS:-} -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" \
  perf record -q -F "$freq" -e cpu-clock -o "$out/perf.data" -- "$gort_root/gort" "$@"

report() { perf report -i "$out/perf.data" --stdio --no-children "$@" 2>/dev/null | grep -v '^#' | grep -v '^$' || true; }
# whole reports to files first: cutting a pipe short would end this script (pipefail)
report --sort sym >"$out/methods.txt"
report --sort comm >"$out/threads.txt"
echo
echo "== hottest methods (all threads; a method compiled more than once appears once per version) =="
head -n "$top" "$out/methods.txt"
echo
echo "== busiest threads (gort-M<n> run goroutines; C2/C1 are the JIT, 'GC Thread' the host collector) =="
head -n 12 "$out/threads.txt"
echo
echo "perf.sh: full lists in $out/methods.txt and $out/threads.txt; more with: perf report -i $out/perf.data" >&2
