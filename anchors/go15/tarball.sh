# Sourced by build.sh and check-reference.sh: go15_tarball OUTDIR finds Go 1.5.1's source tarball,
# the one input of the anchor build taken from outside, and prints its absolute path; if there is
# none it prints one line saying where to get it, on stderr, and returns 1. Looked for in
# $GORT_GO15_TARBALL, then beside the clone (../go1.5.1.src.tar.gz, ../go1.5.1-src.tar.xz,
# ../shared/anchors/go15/go1.5.1-src.tar.xz), then OUTDIR/go1.5.1.src.tar.gz.
GO15_URL=https://dl.google.com/go/go1.5.1.src.tar.gz
GO15_SHA256=a889873e98d9a72ae396a9b7dd597c29dcd709cafa9097d9c4ba04cff0ec436b

go15_tarball() {
  local clone found= cand
  clone=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ -n "${GORT_GO15_TARBALL:-}" ]; then
    [ -f "$GORT_GO15_TARBALL" ] || { echo "anchors/go15: GORT_GO15_TARBALL=$GORT_GO15_TARBALL: no such file" >&2; return 1; }
    found=$GORT_GO15_TARBALL
  else
    for cand in "$clone/../go1.5.1.src.tar.gz" "$clone/../go1.5.1-src.tar.xz" \
                "$clone/../shared/anchors/go15/go1.5.1-src.tar.xz" "${1:-/nonexistent}/go1.5.1.src.tar.gz"; do
      if [ -f "$cand" ]; then found=$cand; break; fi
    done
  fi
  if [ -z "$found" ]; then
    echo "anchors/go15: Go 1.5.1's source is needed: download $GO15_URL (sha256 $GO15_SHA256) and set GORT_GO15_TARBALL to its path" >&2
    return 1
  fi
  echo "$(cd "$(dirname "$found")" && pwd)/$(basename "$found")"
}
