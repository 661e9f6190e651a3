#!/usr/bin/env bash
# anchors/go15/trace-json.sh BINARY TRACE OUT.json: turns an execution trace of the Go 1.5.1 anchor
# (anchors15 ... -trace TRACE) into the Chrome Trace Event JSON that Go 1.5.1's own viewer draws
# (what `go tool trace` serves at /jsontrace), for Perfetto, chrome://tracing or
# `gort trace stats FILE --gcwakeup STDERR`. It runs Go 1.5.1's trace tool from the toolchain
# build.sh made beside the binary (or $GO15ROOT), asks it for /jsontrace on a loopback port, and
# stops it. OUT.json is written only when the whole answer has arrived.
set -euo pipefail
die() { echo "trace-json.sh: $*" >&2; exit 1; }
[ $# -eq 3 ] || { echo "usage: anchors/go15/trace-json.sh BINARY TRACE OUT.json" >&2; exit 2; }
bin=$1 trace=$2 dest=$3
[ -x "$bin" ] || { echo "trace-json.sh: $bin: not an executable (anchors/go15/build.sh prints the anchor's path)" >&2; exit 2; }
[ -f "$trace" ] || { echo "trace-json.sh: $trace: no such trace file" >&2; exit 2; }
goroot=${GO15ROOT:-$(dirname "$bin")/go}
tool=$goroot/pkg/tool/linux_amd64/trace
[ -x "$tool" ] || die "no Go 1.5.1 trace tool at $tool (set GO15ROOT to the toolchain build.sh made)"
command -v curl >/dev/null || die "curl is needed"

scratch=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT
# the tool opens a browser on start (a stand-in that does nothing keeps it quiet) and runs Go 1.5.1's
# `go tool addr2line` to name the trace's stack frames (its bin/ goes first on PATH)
printf '#!/bin/sh\nexit 0\n' >"$scratch/xdg-open" && chmod +x "$scratch/xdg-open"
for attempt in 1 2 3; do
  port=$(( 20000 + RANDOM % 30000 ))
  PATH="$scratch:$goroot/bin:$PATH" GOROOT="$goroot" "$tool" -http="127.0.0.1:$port" "$bin" "$trace" >"$scratch/tool.log" 2>&1 &
  pid=$!
  # the tool parses the trace before /jsontrace answers: poll for up to 90 s
  for _ in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:$port/jsontrace" -o "$scratch/out.json" && [ -s "$scratch/out.json" ]; then
      mv -f "$scratch/out.json" "$dest"
      exit 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=
  grep -q "address already in use" "$scratch/tool.log" || break   # only a taken port is worth another try
done
cat "$scratch/tool.log" >&2
die "Go 1.5.1's trace tool gave no JSON for $trace"
