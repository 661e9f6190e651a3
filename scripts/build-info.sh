#!/bin/sh
# Writes the build's identity for gort.trace.RunEnvironment, which every result records: gort's
# version, the git commit the sources were built from and whether they differed from it (a dirty
# tree: any change to src/ or pom.xml, committed or not, that the commit does not hold).
# "unknown" for both when the sources are not a git checkout of their own (a tarball, or a copy
# inside another repository). Run by Maven at generate-resources (pom.xml).
# Usage: scripts/build-info.sh OUT.properties VERSION
#        scripts/build-info.sh --commit      (prints the commit alone: scripts/env.sh rebuilds when it changed)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
commit=unknown
dirty=unknown
top=$(git -C "$root" rev-parse --show-toplevel 2>/dev/null) || top=
if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$(cd "$root" && pwd -P)" ]; then
  if c=$(git -C "$root" rev-parse HEAD 2>/dev/null); then
    commit=$c
  fi
fi
if [ "$1" = --commit ]; then
  echo "$commit"
  exit 0
fi
if [ "$commit" != unknown ]; then
  if [ -n "$(git -C "$root" status --porcelain -- src pom.xml 2>/dev/null)" ]; then dirty=true; else dirty=false; fi
fi
out=$1
version=$2
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
printf 'version=%s\ncommit=%s\ndirty=%s\n' "$version" "$commit" "$dirty" > "$tmp" && mv "$tmp" "$out"
