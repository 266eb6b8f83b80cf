#!/usr/bin/env bash
# Integer convolution kernels (scalar reference, int32 tiles, float-exact tiles) on the PP-OCR classifier and UltraFace shapes.
# Usage: scripts/bench-intconv.sh [THREADS [FIRST_SHAPE]]  (8: the UltraFace shapes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -o -q -pl kiln-runtime test-compile >/dev/null
exec "${KILN_JAVA:-java}" --add-modules jdk.incubator.vector -cp "$root/kiln-runtime/target/test-classes:$root/kiln-runtime/target/classes" \
    dev.kiln.runtime.quant.IntConvBench "$@"
