#!/usr/bin/env bash
# Runs Kiln's test suite: unit tests, the ONNX backend conformance suite, and real models compared
# with ONNX Runtime. Models exported from torchvision are made first when Debian's python3-torch and
# python3-torchvision are installed (otherwise those tests are skipped and say why).
# Shared test data is read from ../shared/testdata (override with KILN_TESTDATA).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
models="${KILN_MODELS:-$root/.cache/test-models}"
if /usr/bin/python3 -c 'import torch, torchvision, onnx' >/dev/null 2>&1; then
    echo "Exporting test models to $models (cached)..."
    /usr/bin/python3 scripts/export_torchvision.py "$models" --opsets 11,13 \
        --models resnet18,mobilenet_v2,squeezenet1_1,shufflenet_v2_x1_0,efficientnet_b0,lraspp_mobilenet_v3_large
else
    echo "python3-torch/python3-torchvision/python3-onnx not installed: tests on exported torchvision models will be skipped"
fi
export KILN_MODELS="$models"
if [ -n "${KILN_TESTDATA:-}" ]; then
    set -- -Dkiln.testdata="$KILN_TESTDATA" "$@"
fi
exec mvn -B test "$@"
