#!/usr/bin/env bash
# Float latency of Kiln vs ONNX Runtime on one model, same inputs and thread count, in one process.
# Usage: scripts/bench-float.sh MODEL.onnx [--threads N] [--warmup W] [--runs R]
set -euo pipefail
exec "$(dirname "$0")/run-bench-class.sh" dev.kiln.bench.FloatLatencyBench "$@"
