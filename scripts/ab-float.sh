#!/usr/bin/env bash
# A/B timing of Kiln against itself with one system property changed.
# Usage: scripts/ab-float.sh MODEL.onnx PROPERTY VALUE [THREADS] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cpfile="$root/kiln-core/target/bench-classpath.txt"
mvn -q -pl kiln-core -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cpfile" -DexcludeGroupIds=dev.kiln >/dev/null
cp="$root/kiln-core/target/test-classes:$root/kiln-core/target/classes:$root/kiln-runtime/target/classes:$(cat "$cpfile")"
exec "${KILN_JAVA:-java}" --add-modules jdk.incubator.vector -Xmx8g -cp "$cp" dev.kiln.bench.KilnAbBench "$@" 2> >(grep -v 'incubator' >&2)
