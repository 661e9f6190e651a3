#!/usr/bin/env bash
# anchors/go15/build.sh [OUTDIR]: builds the real Go 1.5.1 runtime with gort's instrumentation
# (mgcwakeup.go and runtime.patch: GCWAKEUP, GCASSISTBLOCK, the gcwakeup lines) and the benchmark
# program anchors/go/main.go with it, and prints the binary's path: the anchor of gort fidelity.
#
# Go 1.5.1's source is the one thing taken from outside: $GORT_GO15_TARBALL, or a file beside the
# clone or in OUTDIR (tarball.sh says where it looks; without one it says where to get it);
# Go's own tarball (https://dl.google.com/go/go1.5.1.src.tar.gz) must have its published sha256;
# a repacked one (.tar.xz) must hold Go 1.5.1's tree (its VERSION file says go1.5.1).
# Building Go 1.5.1 needs a bootstrap Go: $GOROOT_BOOTSTRAP, else /usr/lib/go-1.19 (Debian's
# golang-1.19-go, installed with apt-get when missing and possible), else `go` on PATH.
#
# OUTDIR (default ${XDG_CACHE_HOME:-~/.cache}/gort/go15) keeps one build per input: its name is a
# hash of the tarball, the patch, mgcwakeup.go and the benchmark, so a build is reused until one
# of them changes (the first takes a few minutes). OUTDIR/<hash>/ holds the toolchain (go/, which
# trace-json.sh uses), the binary (anchors15) and build.log. A build is made in a scratch folder
# and renamed into place when it is complete, so a failed or stopped one leaves no half-build.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
die() { echo "build.sh: $*" >&2; exit 1; }

[ $# -le 1 ] || { echo "usage: anchors/go15/build.sh [OUTDIR]" >&2; exit 2; }
out=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/gort/go15}
mkdir -p "$out" || die "cannot make $out"
out=$(cd "$out" && pwd)

# --- the source tarball ---
source "$here/tarball.sh"
tarball=$(go15_tarball "$out") || exit 1
case "$tarball" in
  *.tar.gz|*.tgz)
    sum=$(sha256sum "$tarball" | cut -d' ' -f1)
    [ "$sum" = "$GO15_SHA256" ] || die "$tarball is not Go 1.5.1's source tarball (sha256 $sum, expected $GO15_SHA256 for $GO15_URL)" ;;
  *.tar.xz|*.tar) ;;
  *) die "$tarball: expected Go 1.5.1's source as .tar.gz (or a repacked .tar.xz)" ;;
esac

# --- the cached build for these inputs ---
stamp=$( { sha256sum "$tarball" | cut -d' ' -f1; cat "$here/runtime.patch" "$here/mgcwakeup.go" "$root/anchors/go/main.go"; } \
  | sha256sum | cut -c1-16)
dest=$out/$stamp
if [ -x "$dest/anchors15" ]; then echo "$dest/anchors15"; exit 0; fi

exec 9>"$out/.lock"
flock 9   # one build at a time per OUTDIR; the one that waited finds the other's result
if [ -x "$dest/anchors15" ]; then echo "$dest/anchors15"; exit 0; fi

# --- the bootstrap toolchain ---
boot=${GOROOT_BOOTSTRAP:-}
if [ -z "$boot" ]; then
  if [ ! -x /usr/lib/go-1.19/bin/go ] && ! command -v go >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: installing golang-1.19-go (the bootstrap toolchain)..." >&2
    (export DEBIAN_FRONTEND=noninteractive
     apt-get install -y -qq golang-1.19-go || { apt-get update -qq && apt-get install -y -qq golang-1.19-go; }) >/dev/null 2>&1 || true
  fi
  if [ -x /usr/lib/go-1.19/bin/go ]; then boot=/usr/lib/go-1.19
  elif command -v go >/dev/null 2>&1; then boot=$(go env GOROOT)
  fi
fi
[ -n "$boot" ] && [ -x "$boot/bin/go" ] \
  || die "a bootstrap Go is needed to build Go 1.5.1: install Debian's golang-1.19-go, or set GOROOT_BOOTSTRAP to a Go installation"

# --- build in a scratch folder, then rename into place ---
work=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "build.sh: building Go 1.5.1 from $tarball with $("$boot/bin/go" version | cut -d' ' -f3) (a few minutes)..." >&2
case "$tarball" in
  *.xz) tar -xJf "$tarball" -C "$work" ;;
  *.tar) tar -xf "$tarball" -C "$work" ;;
  *) tar -xzf "$tarball" -C "$work" ;;
esac || die "could not unpack $tarball"
[ "$(head -c 7 "$work/go/VERSION" 2>/dev/null)" = go1.5.1 ] || die "$tarball does not hold Go 1.5.1's source tree (go/VERSION)"
cp "$here/mgcwakeup.go" "$work/go/src/runtime/mgcwakeup.go"
(cd "$work/go/src" && patch -s -p1 --no-backup-if-mismatch <"$here/runtime.patch") || die "runtime.patch does not apply to $tarball"
(cd "$work/go/src" && env -u GOROOT -u GOPATH -u GOFLAGS GOROOT_BOOTSTRAP="$boot" GOROOT_FINAL="$dest" GO111MODULE=off CGO_ENABLED=0 \
   GOCACHE="$work/bootcache" ./make.bash) >"$work/build.log" 2>&1 \
  || { cp "$work/build.log" "$out/build-failed.log"; die "Go 1.5.1 did not build; see $out/build-failed.log"; }
rm -rf "$work/bootcache"
mkdir -p "$work/gopath/src/anchors15"
cp "$root/anchors/go/main.go" "$work/gopath/src/anchors15/main.go"
(cd "$work/gopath/src/anchors15" && env -u GOFLAGS GOROOT="$work/go" GOPATH="$work/gopath" GO111MODULE=off CGO_ENABLED=0 \
   "$work/go/bin/go" build -o "$work/anchors15" .) >>"$work/build.log" 2>&1 \
  || { cp "$work/build.log" "$out/build-failed.log"; die "the benchmark did not build with Go 1.5.1; see $out/build-failed.log"; }
rm -rf "$work/gopath"
rm -rf "$dest"
mv "$work" "$dest"
trap - EXIT
echo "$dest/anchors15"
