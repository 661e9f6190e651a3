#!/usr/bin/env bash
# Check that the examples' Go programs print exactly their expected files, whatever the schedule:
# builds each one, runs it at several GOMAXPROCS values several times, and diffs every run's
# output against examples/<name>/expected.txt (default arguments) and expected-bench.txt (the
# benchmark argument from examples/benchmarks.tsv).
# Usage: examples/check-go.sh [--runs N] [--bench-runs N] [--procs 1,2,4] [--write] [NAME...]
#   --runs N        runs per GOMAXPROCS value at the test size (default 5)
#   --bench-runs N  runs per GOMAXPROCS value at the benchmark size (default 2; 0 skips them)
#   --write         first write the expected files from one run at GOMAXPROCS=1, then check
# Env: GO=/path/to/bin/go (default Go 1.19, /usr/lib/go-1.19/bin/go, installed with apt-get if
#      missing); another toolchain, such as Go 1.5.1's, checks the same files under its runtime.
# Exit status: 0 when every run matched, 1 otherwise (the first differing run's diff is shown).
set -euo pipefail
die() { echo "check-go.sh: $*" >&2; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs=5 bench_runs=2 procs=1,2,4 write=0 names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs=$2; shift 2 ;;
    --bench-runs) [ $# -ge 2 ] || die "--bench-runs needs a number"; bench_runs=$2; shift 2 ;;
    --procs) [ $# -ge 2 ] || die "--procs needs a list such as 1,2,4"; procs=$2; shift 2 ;;
    --write) write=1; shift ;;
    -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) names+=("$1"); shift ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$runs'"
[[ "$bench_runs" =~ ^[0-9]+$ ]] || die "--bench-runs must be a non-negative integer, got '$bench_runs'"
[[ "$procs" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--procs must be a comma-separated list of positive integers, got '$procs'"
IFS=, read -r -a proc_list <<<"$procs"

# The manifest: name, kind, benchmark argument.
declare -A bench_arg=()
all=()
while IFS=$'\t' read -r name kind arg; do
  [ -z "$name" ] || [[ "$name" == \#* ]] && continue
  all+=("$name"); bench_arg[$name]=$arg
done <"$here/benchmarks.tsv"
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")
for n in "${names[@]}"; do
  [ -n "${bench_arg[$n]:-}" ] || die "unknown example '$n' (known: ${all[*]})"
done

GO=${GO:-/usr/lib/go-1.19/bin/go}
if [ ! -x "$GO" ] && [ "$GO" = /usr/lib/go-1.19/bin/go ]; then
  echo "check-go.sh: installing golang-1.19-go..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq golang-1.19-go >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq golang-1.19-go >/dev/null; } \
    || die "could not install golang-1.19-go with apt-get"
fi
[ -x "$GO" ] || die "no Go toolchain at $GO (set GO=/path/to/bin/go)"
gover=$("$GO" version | awk '{print $3}')

# Build each program once per toolchain into the cache (again when its source is newer).
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/gort/examples/$gover"
mkdir -p "$CACHE"
build() { # $1 = name; prints the binary's path
  local bin="$CACHE/$1"
  if [ ! -x "$bin" ] || [ "$here/$1/main.go" -nt "$bin" ]; then
    (cd "$here/$1" && GOCACHE="$CACHE/gocache" GOPATH="$CACHE/gopath" GOTOOLCHAIN=local GOPROXY=off \
       GO111MODULE=off GOFLAGS= "$GO" build -o "$bin.tmp" main.go) >&2 || die "go build of examples/$1 failed"
    mv -f "$bin.tmp" "$bin"
  fi
  echo "$bin"
}

TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
echo "check-go.sh: $("$GO" version); GOMAXPROCS $procs; $runs runs at the test size, $bench_runs at the benchmark size" >&2
failed=0
for n in "${names[@]}"; do
  bin=$(build "$n")
  for size in test bench; do
    if [ "$size" = test ]; then args=() expected="$here/$n/expected.txt" nruns=$runs
    else args=("${bench_arg[$n]}") expected="$here/$n/expected-bench.txt" nruns=$bench_runs; fi
    [ "$nruns" -gt 0 ] || continue
    if [ "$write" = 1 ]; then
      GOMAXPROCS=1 "$bin" "${args[@]}" >"$TMP/out" || die "examples/$n ${args[*]} exited with status $?"
      mv "$TMP/out" "$expected"
      echo "check-go.sh: wrote ${expected#"$here"/}" >&2
    fi
    [ -f "$expected" ] || die "examples/$n has no ${expected##*/} (run with --write to make it)"
    ok=1 t0=$(date +%s%N)
    for p in "${proc_list[@]}"; do
      for ((r = 1; r <= nruns; r++)); do
        status=0
        GOMAXPROCS=$p "$bin" "${args[@]}" >"$TMP/out" 2>"$TMP/err" || status=$?
        if [ "$status" != 0 ] || ! cmp -s "$TMP/out" "$expected"; then
          if [ "$ok" = 1 ]; then
            echo "check-go.sh: examples/$n ${args[*]} at GOMAXPROCS=$p, run $r: exit status $status, output differs:" >&2
            diff "$expected" "$TMP/out" | head -20 >&2 || true
            head -5 "$TMP/err" >&2
          fi
          ok=0
        fi
      done
    done
    secs=$(( ($(date +%s%N) - t0) / 1000000 ))
    label="$n${args[*]:+ ${args[*]}}"
    if [ "$ok" = 1 ]; then
      printf '%-20s %-5s ok: %d runs identical (GOMAXPROCS %s, %d ms in all)\n' "$label" "$size" $((nruns * ${#proc_list[@]})) "$procs" "$secs"
    else
      printf '%-20s %-5s DIFFERS\n' "$label" "$size"; failed=1
    fi
  done
done
exit $failed
