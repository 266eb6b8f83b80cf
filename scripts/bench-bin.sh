#!/usr/bin/env bash
# Latency of a .bin in Kiln's runtime vs ONNX Runtime on the quantized and float models of the same conversion.
# Usage: scripts/bench-bin.sh WORKING_DIR/PREFIX [--threads N] [--warmup W] [--runs R]
set -euo pipefail
exec "$(dirname "$0")/run-bench-class.sh" dev.kiln.bench.BinLatencyBench "$@"
