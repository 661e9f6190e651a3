#!/usr/bin/env bash
# The explorer's figures (docs/BENCHMARKS.md): schedules/s on the mark-termination scenario and
# schedules to the first failure per planted bug and strategy, on one core (taskset -c 0).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
mvn -q -o test-compile
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -q -o dependency:build-classpath -Dmdep.outputFile="$cp" >/dev/null
exec taskset -c 0 "$JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
  -XX:+UseParallelGC -Xmn64m -XX:CompileCommand=quiet \
  -XX:CompileCommand=dontinline,gort.platform.OsThread::currentThreadOutOfLine \
  -cp "target/classes:target/test-classes:$(cat "$cp")" gort.bench.ExploreBench
