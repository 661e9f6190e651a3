# Sourced by ./gort and ./test: find a JDK 25 and Maven, build when sources changed.
# Order: $JAVA_HOME if it is a JDK 25 or newer, then /usr/lib/jvm/*, then `java` on PATH.

gort_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_gort_java_major() { # $1 = a JDK home; prints its feature version or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

gort_find_jdk() {
  local cand v
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/* \
              "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$cand" ] && [ -d "$cand" ] || continue
    v=$(_gort_java_major "$cand")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then GORT_JAVA_HOME="$cand"; return 0; fi
  done
  echo "gort: no JDK 25 found (looked at JAVA_HOME, /usr/lib/jvm/*, PATH); install one, e.g. 'apt-get install temurin-25-jdk' or an OpenJDK 25 build, or point JAVA_HOME at it" >&2
  return 1
}

gort_need_mvn() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "gort: Maven (mvn) not found; install it, e.g. 'apt-get install maven'" >&2
    return 1
  fi
}

# Whether the jar was built from the commit checked out now (the commit every result records:
# scripts/build-info.sh, target/classes/gort-build.properties).
_gort_built_from_head() {
  local built
  built=$(sed -n 's/^commit=//p' "$gort_root/target/classes/gort-build.properties" 2>/dev/null)
  [ -n "$built" ] && [ "$built" = "$(sh "$gort_root/scripts/build-info.sh" --commit)" ]
}

# Build target/gort.jar and target/lib when any source or the pom is newer than the jar, or the
# checked-out commit is not the one the jar was built from.
gort_build_if_stale() {
  local jar="$gort_root/target/gort.jar"
  if [ -f "$jar" ] && [ -z "$(find "$gort_root/src/main" "$gort_root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ] \
     && _gort_built_from_head; then
    return 0
  fi
  gort_need_mvn || return 1
  echo "gort: building (first use or sources changed)..." >&2
  # (Maven 3.8 prints colour resets even when quiet: strip them)
  (set -o pipefail; cd "$gort_root" && JAVA_HOME="$GORT_JAVA_HOME" mvn -B -q -Dstyle.color=never -DskipTests package 2>&1 \
     | sed 's/\x1b\[[0-9;]*m//g' >&2) || {
    echo "gort: build failed" >&2; return 1; }
}
