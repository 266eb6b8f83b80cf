#!/usr/bin/env bash
# Latency of a .bin in Kiln's runtime vs ONNX Runtime on the quantized and float models of the same conversion.
# Usage: scripts/bench-bin.sh WORKING_DIR/PREFIX [--threads N] [--warmup W] [--runs R]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cpfile="$root/kiln-core/target/bench-classpath.txt"
mvn -q -pl kiln-core -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cpfile" -DexcludeGroupIds=dev.kiln >/dev/null
cp="$root/kiln-core/target/test-classes:$root/kiln-core/target/classes:$root/kiln-runtime/target/classes:$(cat "$cpfile")"
flags=(--add-modules jdk.incubator.vector -Xmx8g ${KILN_BENCH_JVM_OPTS:-})
if java -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then flags+=(--enable-native-access=ALL-UNNAMED); fi
exec "${KILN_JAVA:-java}" "${flags[@]}" -cp "$cp" dev.kiln.bench.BinLatencyBench "$@"
