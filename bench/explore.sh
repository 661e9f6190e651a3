#!/usr/bin/env bash
# The explorer's figures (docs/BENCHMARKS.md): schedules/s on the mark-termination scenario and
# schedules to the first failure per planted bug and strategy, on one core (taskset -c 0), on the
# JDK 25 the launcher finds.
# Usage: bench/explore.sh [all|bugs|missed]   (all: throughput and every planted bug; bugs: the bugs only;
#   missed: the planted bugs it does not find, 1,000 schedules per strategy)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"   # sets gort_root
gort_find_jdk || exit 1
gort_need_mvn || exit 1
cd "$gort_root"
JAVA_HOME="$GORT_JAVA_HOME" mvn -B -q -Dstyle.color=never -DskipTests test-compile 2>&1 | sed "s/\x1b\[[0-9;]*m//g" >&2
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
JAVA_HOME="$GORT_JAVA_HOME" mvn -B -q -Dstyle.color=never dependency:build-classpath \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=test 2>&1 | sed "s/\x1b\[[0-9;]*m//g" >&2
taskset -c 0 "$GORT_JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
  -XX:+UseParallelGC -Xmn64m -XX:CompileCommand=quiet \
  -XX:CompileCommand=dontinline,gort.platform.OsThread::currentThreadOutOfLine \
  -cp "target/classes:target/test-classes:$(cat "$cp")" gort.bench.ExploreBench "$@"
