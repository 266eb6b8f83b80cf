#!/usr/bin/env bash
# Time per op type and the slowest nodes of Kiln's float engine on one model.
# Usage: scripts/profile-float.sh MODEL.onnx [THREADS] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cpfile="$root/kiln-core/target/bench-classpath.txt"
mvn -q -pl kiln-core -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cpfile" -DexcludeGroupIds=dev.kiln >/dev/null
cp="$root/kiln-core/target/test-classes:$root/kiln-core/target/classes:$root/kiln-runtime/target/classes:$(cat "$cpfile")"
exec "${KILN_JAVA:-java}" --add-modules jdk.incubator.vector -Xmx8g -cp "$cp" dev.kiln.bench.NodeProfile "$@" 2> >(grep -v 'incubator' >&2)
