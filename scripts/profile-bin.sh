#!/usr/bin/env bash
# Per-node medians of a .bin in Kiln's runtime: median frame, time per label, slowest nodes.
# Usage: scripts/profile-bin.sh MODEL.bin [--threads N] [--warmup W] [--frames F] [--top K]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cpfile="$root/kiln-core/target/bench-classpath.txt"
mvn -q -pl kiln-core -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cpfile" -DexcludeGroupIds=dev.kiln >/dev/null
cp="$root/kiln-core/target/test-classes:$root/kiln-core/target/classes:$root/kiln-runtime/target/classes:$(cat "$cpfile")"
exec "${KILN_JAVA:-java}" --add-modules jdk.incubator.vector -Xmx4g -cp "$cp" dev.kiln.bench.BinNodeProfile "$@" \
    2> >(grep -v 'incubator' >&2)
