#!/usr/bin/env bash
# Wall time of makertbin vs N float forward passes of ONNX Runtime (N = calibration samples), one process.
# Usage: scripts/bench-makertbin.sh CONFIG.yaml
#        scripts/bench-makertbin.sh --ultraface   (RFB-320 and slim-320 on the shared face photos)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cpfile="$root/kiln-core/target/bench-classpath.txt"
mvn -q -pl kiln-core -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cpfile" -DexcludeGroupIds=dev.kiln >/dev/null
cp="$root/kiln-core/target/test-classes:$root/kiln-core/target/classes:$root/kiln-runtime/target/classes:$(cat "$cpfile")"
flags=(--add-modules jdk.incubator.vector -Xmx8g ${KILN_BENCH_JVM_OPTS:-})
if "${KILN_JAVA:-java}" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then flags+=(--enable-native-access=ALL-UNNAMED); fi
run() { "${KILN_JAVA:-java}" "${flags[@]}" -cp "$cp" dev.kiln.bench.MakertbinWallBench "$@" 2> >(grep -v 'incubator' >&2); }
if [ "${1:-}" = "--ultraface" ]; then
    data="${KILN_TESTDATA:-$root/../shared/testdata}"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    for name in version-RFB-320 version-slim-320; do
        cat > "$work/$name.yaml" <<YAML
model_parameters:
  onnx_model: '$data/models/ultraface/onnx/${name}_without_postprocessing.onnx'
  march: 'bernoulli2'
  working_dir: '$work/$name'
  output_model_file_prefix: '$name'
input_parameters:
  input_type_train: 'rgb'
  input_layout_train: 'NCHW'
  input_type_rt: 'rgb'
  input_layout_rt: 'NCHW'
  norm_type: 'data_mean_and_scale'
  mean_value: 127 127 127
  scale_value: 0.0078125 0.0078125 0.0078125
calibration_parameters:
  cal_data_dir: '$data/images/faces'
  preprocess_on: True
  calibration_type: '${KILN_BENCH_CALIBRATION:-default}'
compiler_parameters:
  optimize_level: 'O3'
YAML
        run "$work/$name.yaml"
    done
else
    run "$@"
fi
