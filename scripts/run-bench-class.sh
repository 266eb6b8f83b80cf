#!/usr/bin/env bash
# Runs a benchmark class of kiln-core's test tree (ONNX Runtime on the class path) with the JVM flags
# Kiln needs. Used by bench-float.sh, bench-bin.sh and profile-bin.sh.
# Usage: scripts/run-bench-class.sh CLASS [ARGS...]   (KILN_JAVA: the java to use; KILN_BENCH_JVM_OPTS: extra flags)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cpfile="$root/kiln-core/target/bench-classpath.txt"
mvn -q -pl kiln-core -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cpfile" -DexcludeGroupIds=dev.kiln >/dev/null
cp="$root/kiln-core/target/test-classes:$root/kiln-core/target/classes:$root/kiln-runtime/target/classes:$(cat "$cpfile")"
java="${KILN_JAVA:-java}"
flags=(--add-modules jdk.incubator.vector -Xmx8g ${KILN_BENCH_JVM_OPTS:-})
if "$java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then flags+=(--enable-native-access=ALL-UNNAMED); fi
cls="$1"
shift
exec "$java" "${flags[@]}" -cp "$cp" "$cls" "$@" 2> >(grep -v 'incubator modules' >&2)
