#!/usr/bin/env bash
# Per-node medians of a .bin in Kiln's runtime: median frame, time per label, slowest nodes.
# Usage: scripts/profile-bin.sh MODEL.bin [--threads N] [--warmup W] [--frames F] [--top K]
set -euo pipefail
exec "$(dirname "$0")/run-bench-class.sh" dev.kiln.bench.BinNodeProfile "$@"
