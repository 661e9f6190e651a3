#!/usr/bin/env bash
# The unmodified runtime under the explorer, 100,000 schedules (docs/BENCHMARKS.md): every
# scenario under every coordination design, half random, a quarter PCT, a quarter POS, each
# campaign on J host threads (default 2). Prints one summary line per campaign, then the total.
# Usage: bench/campaign.sh [OUTDIR] [JOBS]      (OUTDIR: per-campaign logs and replays, default a temporary directory)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$(mktemp -d)}"
jobs="${2:-2}"
mkdir -p "$out"
declare -A N=([markterm]=6000 [assist]=4000 [assistblock]=3000 [markidle]=4000 [parallel]=3000)
total=0
failed=0
for sc in markterm assist assistblock markidle parallel; do
  for d in gcwakeup=park gcwakeup=note gcwakeup=park-yield gcwakeup=none gcdesign=go1.6; do
    n=${N[$sc]}
    for st in "random $((n / 2)) 1" "pct $((n / 4)) 1000001" "pos $((n / 4)) 2000001"; do
      set -- $st
      tag="$sc.$d.$1"
      rc=0
      "$root/gort" explore "$sc" --godebug "$d" --strategy "$1" --schedules "$2" --seed "$3" --jobs "$jobs" \
        --replay-dir "$out/replays" > "$out/$tag.log" 2> "$out/$tag.err" || rc=$?
      line=$(grep -E '^explore .*schedules' "$out/$tag.log" | tail -1)
      echo "$d $line"
      if [ $rc -gt 1 ] || [ -z "$line" ]; then
        echo "campaign $tag did not finish (exit $rc): see $out/$tag.err" >&2
        exit 2
      fi
      total=$((total + $(sed -E 's/.*: ([0-9]+) schedules.*/\1/' <<< "$line")))
      failed=$((failed + $(sed -E 's/.*, ([0-9]+) failed.*/\1/' <<< "$line")))
    done
  done
done
echo "campaign: $total schedules, $failed failed (logs and replays in $out)"
[ "$failed" -eq 0 ]
