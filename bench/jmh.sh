#!/usr/bin/env bash
# Run gort's JMH micro benchmarks (src/test/java/gort/bench) on the JDK 25 the launcher finds.
# Usage: bench/jmh.sh [JMH args...]   e.g. bench/jmh.sh MarkBench   or   bench/jmh.sh -l
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"   # sets gort_root
gort_find_jdk || exit 1
gort_need_mvn || exit 1
cd "$gort_root"
echo "jmh.sh: compiling benchmarks..." 2>&1 | sed "s/\x1b\[[0-9;]*m//g" >&2
JAVA_HOME="$GORT_JAVA_HOME" mvn -B -q -Dstyle.color=never -DskipTests test-compile 2>&1 | sed "s/\x1b\[[0-9;]*m//g" >&2
cp_file=target/jmh.classpath
JAVA_HOME="$GORT_JAVA_HOME" mvn -B -q -Dstyle.color=never dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test 2>&1 | sed "s/\x1b\[[0-9;]*m//g" >&2
exec "$GORT_JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main "$@"
