#!/usr/bin/env bash
# Measure gort beside its anchors (Go 1.19, JDK virtual threads) in one run, rounds interleaved
# so machine drift hits every system alike; print medians, ratios and raw values, save JSON.
# Usage: bench/anchors.sh [pingpong|alloc|bintree|json|all] [--rounds K]   (default: pingpong, K=3)
#        bench/anchors.sh pacer [--rounds K] [--seconds S] [--memlimit BYTES]   (heap at mark termination / goal:
#          gort json --pacer go15|go118 beside Go 1.19's json with gctrace, and GOMEMLIMIT runs; S=5, 32MiB)
#        bench/anchors.sh fidelity [gort fidelity options]   (the real Go 1.5.1 beside gort: see gort fidelity --help)
#        bench/anchors.sh examples [--rounds K] [--procs 1,2,4] [NAME...]   (examples/: each Go program at its
#          benchmark size beside its Java port under `gort bench`, per GOMAXPROCS; outputs compared)
# Env: GORT_ANCHORS=/path/to/anchors (default: the repository's anchors/: go/, java/, go15/).
# To add a benchmark: append it to BENCHES and define run_gort_<b>, run_go_<b> and, if the JDK
# has an equivalent, run_loom_<b>; each prints one ns/op figure (missing system -> "-").
set -euo pipefail
die() { echo "anchors.sh: $*" >&2; exit 1; }

BENCHES=(pingpong alloc bintree json)
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"   # sets gort_root
cd "$gort_root"

# fidelity: build the patched Go 1.5.1 anchor (anchors/go15/build.sh; cached, a few minutes the
# first time; it needs Go 1.5.1's source tarball and says where to get it) and let gort run it
# beside itself; every other option goes to `gort fidelity`.
if [ "${1:-}" = fidelity ]; then
  shift
  ANCHORS="${GORT_ANCHORS:-$gort_root/anchors}"
  [ -x "$ANCHORS/go15/build.sh" ] || die "Go 1.5.1 anchor not found at $ANCHORS/go15 (need build.sh); set GORT_ANCHORS=/path"
  bin=$("$ANCHORS/go15/build.sh") || exit 1   # build.sh said why, in one line
  exec ./gort fidelity --anchor "$bin" "$@"
fi

# Go 1.19 (Debian's package), installed when missing.
GO=/usr/lib/go-1.19/bin/go
need_go() {
  [ -x "$GO" ] && return 0
  echo "anchors.sh: installing golang-1.19-go..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq golang-1.19-go >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq golang-1.19-go >/dev/null; } \
    || die "could not install golang-1.19-go with apt-get"
  [ -x "$GO" ] || die "$GO still missing after installing golang-1.19-go"
}

# --- examples: each program of examples/ (examples/benchmarks.tsv: name, kind, benchmark argument)
# at its benchmark size, Go 1.19 beside its Java port, per GOMAXPROCS, rounds interleaved (Go,
# gort, Go, gort, ...). Go's figure is one process run, timed whole (the binary is built once into
# the cache; its start-up is a millisecond); gort's is `gort bench PORT --reps 3 -- ARG`'s ns_per_op
# (a warm-up run of main, then the median of 3 runs, one JVM). Both get GOMAXPROCS from the
# environment. Go's output must equal examples/NAME/expected-bench.txt and gort's must be Go's
# for every run of main (bench/examples_summary.py output). The port is examples/NAME/Main.java,
# or the directory's only .java file; an example without one is measured on Go's side only.
# A gort run that fails or prints something else is reported in the table (exit status 1 at the
# end) instead of ending the run, so that the other examples' figures are kept.
run_examples() {
  local rounds=3 procs=1,2,4 names=() all=() name kind arg
  while [ $# -gt 0 ]; do
    case "$1" in
      --rounds) [ $# -ge 2 ] || die "--rounds needs a number"; rounds=$2; shift 2 ;;
      --rounds=*) rounds=${1#*=}; shift ;;
      --procs) [ $# -ge 2 ] || die "--procs needs a list such as 1,2,4"; procs=$2; shift 2 ;;
      --procs=*) procs=${1#*=}; shift ;;
      -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
      -*) die "unknown option $1 (examples takes --rounds K, --procs LIST and example names)" ;;
      *) names+=("$1"); shift ;;
    esac
  done
  [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, got '$rounds'"
  [[ "$procs" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--procs must be a comma-separated list of positive integers such as 1,2,4, got '$procs'"
  local proc_list; IFS=, read -r -a proc_list <<<"$procs"
  local manifest=examples/benchmarks.tsv
  [ -f "$manifest" ] || die "$manifest not found"
  declare -A kind_of=() arg_of=()
  while IFS=$'\t' read -r name kind arg; do
    [ -z "$name" ] || [[ "$name" == \#* ]] && continue
    all+=("$name"); kind_of[$name]=$kind; arg_of[$name]=$arg
  done <"$manifest"
  [ ${#names[@]} -gt 0 ] || names=("${all[@]}")
  for name in "${names[@]}"; do
    [ -n "${kind_of[$name]:-}" ] || die "unknown example '$name' (known: ${all[*]})"
  done
  command -v python3 >/dev/null || die "python3 is required"
  need_go

  # Build the Go programs (cached per Go version, like examples/check-go.sh) and find the ports.
  local cache; cache="${XDG_CACHE_HOME:-$HOME/.cache}/gort/examples/$("$GO" version | awk '{print $3}')"
  mkdir -p "$cache"
  declare -A port_of=()
  local any_port=0 bin ports
  for name in "${names[@]}"; do
    bin="$cache/$name"
    if [ ! -x "$bin" ] || [ "examples/$name/main.go" -nt "$bin" ]; then
      (cd "examples/$name" && GOCACHE="$cache/gocache" GOPATH="$cache/gopath" GOTOOLCHAIN=local GOPROXY=off \
         GO111MODULE=off GOFLAGS= "$GO" build -o "$bin.tmp" main.go) || die "go build of examples/$name failed"
      mv -f "$bin.tmp" "$bin"
    fi
    [ -f "examples/$name/expected-bench.txt" ] || die "examples/$name/expected-bench.txt is missing (examples/check-go.sh --write makes it)"
    port_of[$name]=-
    if [ -f "examples/$name/Main.java" ]; then port_of[$name]=examples/$name/Main.java
    else
      ports=(examples/"$name"/*.java)
      if [ ${#ports[@]} -eq 1 ] && [ -f "${ports[0]}" ]; then port_of[$name]=${ports[0]}; fi
    fi
    if [ "${port_of[$name]}" = - ]; then
      echo "anchors.sh: examples/$name has no Java port yet (examples/$name/Main.java): Go only" >&2
    else any_port=1; fi
  done
  local jver=-
  if [ "$any_port" = 1 ]; then
    gort_find_jdk || exit 1
    jver=$("$GORT_JAVA_HOME/bin/java" -version 2>&1 | head -1)
    ./gort --version >/dev/null || die "gort build failed"   # build now, not inside round 1
  fi

  echo "anchors.sh: examples=${names[*]} procs=$procs rounds=$rounds" >&2
  : >"$TMP/raw"
  local r p t0 t1 f status ns reps jprocs
  for ((r = 1; r <= rounds; r++)); do
    for name in "${names[@]}"; do
      for p in "${proc_list[@]}"; do
        f="$TMP/$name-p$p-r$r"
        echo "anchors.sh: round $r/$rounds  $name ${arg_of[$name]}  GOMAXPROCS=$p  Go..." >&2
        t0=$(date +%s%N)
        GOMAXPROCS=$p "$cache/$name" "${arg_of[$name]}" >"$f.go.out" 2>"$f.go.err" \
          || { tail -5 "$f.go.err" >&2; die "examples/$name ${arg_of[$name]} (Go) failed at GOMAXPROCS=$p"; }
        t1=$(date +%s%N)
        cmp -s "$f.go.out" "examples/$name/expected-bench.txt" \
          || die "examples/$name ${arg_of[$name]} (Go) printed something else than expected-bench.txt at GOMAXPROCS=$p; see examples/check-go.sh"
        printf "anchors.sh:   -> %.0f ms\n" "$(( (t1 - t0) / 1000 ))e-3" >&2
        printf '%s\t%s\t%s\t%s\t%s\t%s\tgo\t%s\t[]\t-\n' "$name" "${kind_of[$name]}" "${arg_of[$name]}" \
          "${port_of[$name]}" "$p" "$r" "$((t1 - t0))" >>"$TMP/raw"
        [ "${port_of[$name]}" != - ] || continue
        echo "anchors.sh: round $r/$rounds  $name ${arg_of[$name]}  GOMAXPROCS=$p  gort..." >&2
        rm -f "$f.gort.json"
        ns=- reps='[]'
        if GOMAXPROCS=$p ./gort bench "${port_of[$name]}" --reps 3 --json "$f.gort.json" -- "${arg_of[$name]}" \
             >"$f.gort.out" 2>"$f.gort.err" && [ -f "$f.gort.json" ]; then
          read -r ns jprocs reps < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["ns_per_op"], d.get("procs", "-"), json.dumps(d.get("reps_ns_per_op", [])).replace(" ", ""))' "$f.gort.json") \
            || die "could not read ns_per_op from gort's --json output ($f.gort.json)"
          status=$(python3 bench/examples_summary.py output "$f.go.out" "$f.gort.out")
          if [ "$jprocs" != - ] && [ "$jprocs" != "$p" ]; then status="$status;procs $jprocs"; fi
          printf "anchors.sh:   -> %.0f ms, output %s\n" "$(python3 -c "print(float('$ns') / 1e6)")" "$status" >&2
        else
          status=failed
          echo "anchors.sh:   -> gort bench ${port_of[$name]} failed at GOMAXPROCS=$p:" >&2
          tail -5 "$f.gort.err" >&2
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\tgort\t%s\t%s\t%s\n' "$name" "${kind_of[$name]}" "${arg_of[$name]}" \
          "${port_of[$name]}" "$p" "$r" "$ns" "$reps" "$status" >>"$TMP/raw"
      done
    done
  done

  mkdir -p bench/results
  python3 bench/examples_summary.py summary "$TMP/raw" "bench/results/examples-$(date +%Y%m%d-%H%M%S).json" \
    "$rounds" "$procs" "$("$GO" version)" "$jver" \
    "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -z "$(git status --porcelain -- src pom.xml examples 2>/dev/null)" ] || echo -dirty)" \
    "$(nproc)"
}
if [ "${1:-}" = examples ]; then
  shift
  TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
  run_examples "$@"
  exit $?
fi

which=pingpong rounds=3 pacer_seconds=5 pacer_limit=32MiB
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) [ $# -ge 2 ] || die "--rounds needs a number"; rounds=$2; shift 2 ;;
    --rounds=*) rounds=${1#*=}; shift ;;
    --seconds) [ $# -ge 2 ] || die "--seconds needs a number"; pacer_seconds=$2; shift 2 ;;
    --memlimit) [ $# -ge 2 ] || die "--memlimit needs a byte count"; pacer_limit=$2; shift 2 ;;
    -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) which=$1; shift ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, got '$rounds'"
[[ "$pacer_seconds" =~ ^[1-9][0-9]*$ ]] || die "--seconds must be a positive integer, got '$pacer_seconds'"
[[ "$pacer_limit" =~ ^[1-9][0-9]*(B|KiB|MiB|GiB)?$ ]] || die "--memlimit must be a byte count such as 48MiB, got '$pacer_limit'"
if [ "$which" = all ]; then selected=("${BENCHES[@]}")
elif [ "$which" = pacer ]; then selected=()
elif [[ " ${BENCHES[*]} " == *" $which "* ]]; then selected=("$which")
else die "unknown benchmark '$which' (known: ${BENCHES[*]} all)"; fi

ANCHORS="${GORT_ANCHORS:-$gort_root/anchors}"
[ -f "$ANCHORS/go/main.go" ] && [ -f "$ANCHORS/java/LoomPingPong.java" ] \
  || die "anchors not found at $ANCHORS (need go/main.go and java/LoomPingPong.java); set GORT_ANCHORS=/path"
ANCHORS="$(cd "$ANCHORS" && pwd)"
command -v python3 >/dev/null || die "python3 is required"
gort_find_jdk || exit 1
JAVA="$GORT_JAVA_HOME/bin/java"

# --- Go anchor binary (cached; rebuilt when its sources change) ---
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/gort/anchors"
GOBIN_ANCHORS="$CACHE/anchors"
build_go_anchor() {
  need_go
  if [ -x "$GOBIN_ANCHORS" ] && [ -z "$(find "$ANCHORS/go" -newer "$GOBIN_ANCHORS" -print -quit)" ]; then
    return 0
  fi
  mkdir -p "$CACHE"
  local work; work="$(mktemp -d)"
  cp "$ANCHORS"/go/go.mod "$ANCHORS"/go/*.go "$work"/ && chmod -R u+w "$work"
  echo "anchors.sh: building Go anchor with $("$GO" version)" >&2
  (cd "$work" && GOPATH="$CACHE/gopath" GOCACHE="$CACHE/gocache" GOFLAGS=-mod=mod \
     GOTOOLCHAIN=local GOPROXY=off "$GO" build -o "$GOBIN_ANCHORS" .) \
    || { rm -rf "$work"; die "go build of $ANCHORS/go failed"; }
  rm -rf "$work"
}

TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

# --- per-benchmark runners: print one ns/op figure on stdout (extra detail -> $TMP/detail) ---
# gort_json: print ns_per_op from gort's --json output; the repetitions go to $TMP/detail.
gort_json() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["ns_per_op"]); open(sys.argv[2],"w").write(json.dumps(d.get("reps_ns_per_op")))' \
    "$TMP/gort.json" "$TMP/detail"
}
run_gort_pingpong() {
  ./gort bench pingpong --procs 1 --reps 5 --json "$TMP/gort.json" >"$TMP/out" 2>&1 \
    || { cat "$TMP/out" >&2; die "gort bench pingpong failed"; }
  gort_json
}
run_go_pingpong() {
  GOMAXPROCS=1 "$GOBIN_ANCHORS" pingpong -n 2000000 >"$TMP/out" 2>&1 \
    || { cat "$TMP/out" >&2; die "Go anchor pingpong failed"; }
  parse_ns ns_per_roundtrip 1
}
run_loom_pingpong() {
  "$JAVA" -Djdk.virtualThreadScheduler.parallelism=1 "$ANCHORS/java/LoomPingPong.java" 1000000 \
    >"$TMP/out" 2>&1 || { cat "$TMP/out" >&2; die "LoomPingPong failed"; }
  parse_ns ns_per_roundtrip 3
}
# alloc: ns per object; gort's default GOMAXPROCS is the machine's, as Go's.
run_gort_alloc() {
  ./gort bench alloc --reps 3 --json "$TMP/gort.json" >"$TMP/out" 2>&1 \
    || { cat "$TMP/out" >&2; die "gort bench alloc failed"; }
  gort_json
}
run_go_alloc() {
  "$GOBIN_ANCHORS" alloc -n 50000000 -window 100000 >"$TMP/out" 2>&1 \
    || { cat "$TMP/out" >&2; die "Go anchor alloc failed"; }
  parse_ns ns_per_alloc 1
}
# bintree: the figure is the run's time in ns (seconds x 1e9), depth 18 at GOMAXPROCS=2.
run_gort_bintree() {
  ./gort bench bintree --depth 18 --procs 2 --reps 3 --json "$TMP/gort.json" >"$TMP/out" 2>&1 \
    || { cat "$TMP/out" >&2; die "gort bench bintree failed"; }
  gort_json
}
run_go_bintree() {
  GOMAXPROCS=2 "$GOBIN_ANCHORS" bintree -depth 18 >"$TMP/out" 2>&1 \
    || { cat "$TMP/out" >&2; die "Go anchor bintree failed"; }
  python3 - "$TMP/out" "$TMP/detail" <<'EOF2'
import re, sys, json
v = float(re.search(r"seconds=([0-9.]+)", open(sys.argv[1]).read()).group(1)) * 1e9
open(sys.argv[2], "w").write(json.dumps([v])); print(v)
EOF2
}
# json: x/benchmarks json at GOMAXPROCS=4, ns per op (unmarshal + marshal); both systems decode the
# document `gort gen json` writes (the Go anchor's -n is per goroutine: 8 x 16 = 128 ops).
run_gort_json() {
  ./gort bench json --procs 4 --reps 3 --json "$TMP/gort.json" >"$TMP/out" 2>&1 \
    || { cat "$TMP/out" >&2; die "gort bench json failed"; }
  gort_json
}
run_go_json() {
  [ -f "$TMP/code.json" ] || ./gort gen json --out "$TMP/code.json" >/dev/null \
    || die "gort gen json failed"
  GOMAXPROCS=4 "$GOBIN_ANCHORS" json -n 8 -input "$TMP/code.json" >"$TMP/out" 2>&1 \
    || { cat "$TMP/out" >&2; die "Go anchor json failed"; }
  python3 - "$TMP/out" "$TMP/detail" <<'EOF2'
import re, sys, json
v = float(re.search(r"ms_per_op=([0-9.]+)", open(sys.argv[1]).read()).group(1)) * 1e6
open(sys.argv[2], "w").write(json.dumps([v])); print(v)
EOF2
}
# parse_ns KEY N: median of the N "KEY=value" figures in $TMP/out; the list goes to $TMP/detail.
parse_ns() {
  python3 - "$1" "$2" "$TMP/out" "$TMP/detail" <<'EOF'
import re, statistics, sys, json
key, n, out, detail = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
vals = [float(v) for v in re.findall(re.escape(key) + r"=([0-9.]+)", open(out).read())]
if len(vals) != n:
    sys.exit(f"anchors.sh: expected {n} '{key}=' figures, got {len(vals)} in:\n" + open(out).read())
json.dump(vals, open(detail, "w")); print(statistics.median(vals))
EOF
}

# --- pacer: heap at mark termination / goal, gort's pacers beside Go 1.19 (json, GOMAXPROCS=4) ---
# Each round runs every system once on the same document, in the same order: gort for
# --seconds S of measured time (plus its warm-up), Go 1.19 for 16 iterations per goroutine
# (256 ops, a comparable number of cycles). Go's figures come from GODEBUG=gctrace=1 (and
# gcpacertrace=1 for the same ratio in bytes); gort's from its --json cycle records. Both print
# gcpacertrace's end-of-cycle line, whose cons/mark bench/pacer_summary.py sets side by side.
# gcassistblock=1 rows: assists that cannot pay their debt block (Go 1.5.1 as released; Go 1.19
# parks them), where gort's default lets the goroutine allocate on.
run_pacer() {
  local lim_bytes
  lim_bytes=$(python3 -c 'import re,sys; m=re.fullmatch(r"(\d+)(B|KiB|MiB|GiB)?", sys.argv[1]); print(int(m.group(1)) << {None:0,"B":0,"KiB":10,"MiB":20,"GiB":30}[m.group(2)])' "$pacer_limit")
  ./gort gen json --out "$TMP/code.json" >/dev/null || die "gort gen json failed"
  # Every run's output stays in bench/results/pacer-STAMP/ beside the summary's JSON, so that
  # `bench/pacer_summary.py bench/results/pacer-STAMP/manifest.tsv` prints the tables again.
  local raw; raw="bench/results/pacer-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$raw"
  printf '#limit\t%s\n' "$lim_bytes" >"$raw/manifest.tsv"
  local r name
  for ((r = 1; r <= rounds; r++)); do
    for name in "gort go15" "gort go118" "gort go118 gcassistblock=1" "Go 1.19" \
                "gort go118 limit" "gort go118 gcassistblock=1 limit" "Go 1.19 limit"; do
      local b="r$r-${name// /_}" f
      f="$raw/$b"
      echo "anchors.sh: round $r/$rounds  pacer  $name..." >&2
      local lim=() godebug=gctrace=1,gcpacertrace=1 pacer=go118
      [[ "$name" == *limit ]] && lim=(--memlimit "$pacer_limit")
      [[ "$name" == *gcassistblock=1* ]] && godebug=gctrace=1,gcpacertrace=1,gcassistblock=1
      [[ "$name" == *go15* ]] && pacer=go15
      if [[ "$name" == Go* ]]; then
        env GOMAXPROCS=4 GODEBUG=gctrace=1,gcpacertrace=1 ${lim:+GOMEMLIMIT=$pacer_limit} \
          "$GOBIN_ANCHORS" json -n 16 -input "$TMP/code.json" >"$f.out" 2>"$f.err" \
          || { tail -5 "$f.err" >&2; die "Go anchor json failed"; }
        printf '%s\t%s\tgo\t%s\t%s\t-\n' "$r" "$name" "$b.out" "$b.err" >>"$raw/manifest.tsv"
      else
        ./gort run json --procs 4 --pacer "$pacer" "${lim[@]}" --seconds "$pacer_seconds" --input "$TMP/code.json" \
          --godebug "$godebug" --json "$f.json" >"$f.out" 2>"$f.err" \
          || { tail -5 "$f.err" >&2; die "gort run json ($name) failed"; }
        printf '%s\t%s\tgort\t%s\t%s\t%s\n' "$r" "$name" "$b.out" "$b.err" "$b.json" >>"$raw/manifest.tsv"
      fi
    done
  done
  python3 "$gort_root/bench/pacer_summary.py" "$raw/manifest.tsv" "$raw.json" \
    "rounds=$rounds" "seconds=$pacer_seconds" "memlimit=$pacer_limit" "$("$GO" version)" \
    "gort $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -z "$(git status --porcelain -- src pom.xml 2>/dev/null)" ] || echo -dirty)" \
    "cpus=$(nproc)"
}

# --- run ---
if [ "$which" = pacer ]; then
  echo "anchors.sh: anchors=$ANCHORS pacer rounds=$rounds seconds=$pacer_seconds memlimit=$pacer_limit" >&2
  build_go_anchor
  ./gort --version >/dev/null || die "gort build failed"
  run_pacer
  exit 0
fi
echo "anchors.sh: anchors=$ANCHORS benchmarks=${selected[*]} rounds=$rounds" >&2
build_go_anchor
./gort --version >/dev/null || die "gort build failed"   # build now, not inside round 1
: >"$TMP/raw"
for ((r = 1; r <= rounds; r++)); do
  for b in "${selected[@]}"; do
    for sys in gort go loom; do
      declare -F "run_${sys}_$b" >/dev/null || continue
      echo "anchors.sh: round $r/$rounds  $b  $sys..." >&2
      echo '[]' >"$TMP/detail"
      v=$("run_${sys}_$b") || exit 1
      printf "anchors.sh:   -> %.1f ns/op\n" "$v" >&2
      printf '%s\t%s\t%s\t%s\t%s\n' "$b" "$sys" "$r" "$v" "$(cat "$TMP/detail")" >>"$TMP/raw"
    done
  done
done

mkdir -p bench/results
OUT_JSON="bench/results/anchors-$(date +%Y%m%d-%H%M%S).json"
python3 - "$TMP/raw" "$OUT_JSON" "$rounds" "$("$GO" version)" "$("$JAVA" -version 2>&1 | head -1)" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -z "$(git status --porcelain -- src pom.xml 2>/dev/null)" ] || echo -dirty)" \
  "$(nproc)" <<'EOF'
import json, statistics, sys, datetime, socket
raw, out, rounds, gover, jver, commit, ncpu = sys.argv[1:]
res = {}
for line in open(raw):
    b, s, r, v, det = line.rstrip("\n").split("\t")
    res.setdefault(b, {}).setdefault(s, []).append({"round": int(r), "ns_per_op": float(v), "detail": json.loads(det)})
def med(b, s):
    xs = [x["ns_per_op"] for x in res[b].get(s, [])]
    return statistics.median(xs) if xs else None
f = lambda x, p=1: "-" if x is None else f"{x:.{p}f}"
ratio = lambda a, c: None if a is None or c is None else a / c
rows = []
hdr = f"{'benchmark':<10} {'gort ns':>9} {'Go ns':>9} {'Loom ns':>9} {'gort/Go':>8} {'gort/Loom':>9}"
print(hdr); print("-" * len(hdr))
for b in res:
    g, o, l = med(b, "gort"), med(b, "go"), med(b, "loom")
    print(f"{b:<10} {f(g):>9} {f(o):>9} {f(l):>9} {f(ratio(g, o), 2):>8} {f(ratio(g, l), 2):>9}")
    rows.append({"benchmark": b, "median_ns_per_op": {"gort": g, "go": o, "loom": l},
                 "ratio_gort_go": ratio(g, o), "ratio_gort_loom": ratio(g, l), "rounds": res[b]})
print("\nraw ns/op per round (gort: median of its reps after a warm-up, 5 for pingpong, 3 for the others; Go: 1 run; Loom: median of 3 reps in one JVM):")
for b in res:
    for s, xs in res[b].items():
        print(f"  {b:<10} {s:<5} " + "  ".join(f(x["ns_per_op"]) for x in xs)
              + ("   reps: " + " | ".join(" ".join(f(v) for v in x["detail"]) for x in xs) if any(x["detail"] for x in xs) else ""))
json.dump({"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "host": socket.gethostname(),
           "cpus": int(ncpu), "rounds": int(rounds), "gort_commit": commit, "go": gover, "java": jver,
           "benchmarks": rows}, open(out, "w"), indent=2)
print(f"\nwrote {out}")
EOF
