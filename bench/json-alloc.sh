#!/usr/bin/env bash
# What one op of the json workload allocates, Go 1.5.1 beside gort: bytes, objects and (gort only:
# Go 1.5.1's MemStats has no such count) scannable words, per op of the embedded document, each
# read from the runtime's own counters around N ops with the collector off; Go's per size class too.
# Usage: bench/json-alloc.sh [--ops N]     (default N=8; builds the Go 1.5.1 anchor toolchain first)
# Env: GORT_ANCHORS=/path/to/anchors (default: the repository's anchors/).
set -euo pipefail
die() { echo "json-alloc.sh: $*" >&2; exit 2; }
ops=8
while [ $# -gt 0 ]; do
  case "$1" in
    --ops) [ $# -ge 2 ] || die "--ops needs a number"; ops=$2; shift 2 ;;
    -h|--help) sed -n '2,6s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (takes --ops N)" ;;
  esac
done
[[ "$ops" =~ ^[1-9][0-9]{0,3}$ ]] || die "--ops must be an integer from 1 to 9999, got '$ops'"
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"   # sets gort_root
cd "$gort_root"
ANCHORS="${GORT_ANCHORS:-$gort_root/anchors}"
[ -x "$ANCHORS/go15/build.sh" ] || die "Go 1.5.1 anchor not found at $ANCHORS/go15 (need build.sh); set GORT_ANCHORS=/path"
anchor=$("$ANCHORS/go15/build.sh") || die "the Go 1.5.1 toolchain did not build (see its build.log under ~/.cache/gort/go15)"
goroot="$(dirname "$anchor")/go"
[ -x "$goroot/bin/go" ] || die "no Go 1.5.1 toolchain beside the anchor at $goroot"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gort/json-alloc"
mkdir -p "$cache/gopath/src/jsonalloc"
bin="$cache/json-alloc-$(sha256sum bench/json-alloc/main.go | cut -c1-16)"
if [ ! -x "$bin" ]; then
  cp bench/json-alloc/main.go "$cache/gopath/src/jsonalloc/main.go"
  (cd "$cache/gopath/src/jsonalloc" && GOROOT="$goroot" GOPATH="$cache/gopath" GO111MODULE=off "$goroot/bin/go" build -o "$bin.tmp" .) \
    || die "building bench/json-alloc/main.go with Go 1.5.1 failed"
  mv -f "$bin.tmp" "$bin"
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
./gort gen json --out "$tmp/doc.json" >/dev/null
"$bin" -n "$ops" -input "$tmp/doc.json" >"$tmp/go.txt"
# gort: one P, the collector off, --ops (no op abandoned): the workload's per-op counts
./gort run json --procs 1 --gogc off --ops "$ops" >"$tmp/gort.txt" 2>&1 || { cat "$tmp/gort.txt" >&2; die "gort run json failed"; }
python3 - "$tmp/go.txt" "$tmp/gort.txt" <<'PY'
import re, sys
go = open(sys.argv[1]).read()
gort = open(sys.argv[2]).read()
def kv(line):
    return {k: int(float(v)) for k, v in re.findall(r'(\w+)=([0-9.]+)', line)}
d = kv(re.search(r'^go1.5.1 decode .*$', go, re.M).group(0))
e = kv(re.search(r'^go1.5.1 encode .*$', go, re.M).group(0))
g = kv(re.search(r'^json: procs=.*$', gort, re.M).group(0))
gb, go_ = d['bytes'] + e['bytes'], d['objects'] + e['objects']
print("per op of the embedded document      Go 1.5.1        gort   gort - Go")
print(f"bytes allocated                  {gb:12,d} {g['alloc_bytes_per_op']:12,d} {g['alloc_bytes_per_op'] - gb:+11,d}")
print(f"  decode / encode (Go)           {d['bytes']:12,d} {e['bytes']:12,d}")
print(f"objects allocated                {go_:12,d} {g['allocs_per_op']:12,d} {g['allocs_per_op'] - go_:+11,d}")
print(f"  decode / encode (Go)           {d['objects']:12,d} {e['objects']:12,d}")
print(f"scannable words (ptrdata)        {'-':>12} {g['scan_words_per_op']:12,d}   (Go 1.5.1 does not count them)")
print("Go 1.5.1's objects per op by size class (bytes: decode, encode):")
for m in re.finditer(r'^go1.5.1 class size=(\d+) decode=(\d+) encode=(\d+)$', go, re.M):
    print(f"  {int(m.group(1)):6d}: {int(m.group(2)):8,d} {int(m.group(3)):6,d}")
PY
