#!/usr/bin/python3
"""Writes kiln-core/src/test/resources/onnx-backend-exclusions.txt: the ONNX backend cases Kiln does
not run, each with its reason.

A case is excluded when it uses an operator outside Kiln's operator list (read from Ops.java), a
non-tensor value (sequence, optional, map) or a string tensor; a few more cases are listed by hand
below with the reason that applies to them alone. Every other case must pass.

Usage: /usr/bin/python3 scripts/backend_exclusions.py [TESTDATA_DIR]   (needs python3-onnx)
"""
import os
import re
import sys

import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPS_JAVA = os.path.join(ROOT, "kiln-core/src/main/java/dev/kiln/core/ops/Ops.java")
OUT = os.path.join(ROOT, "kiln-core/src/test/resources/onnx-backend-exclusions.txt")
SUITES = ["node", "pytorch-converted", "pytorch-operator", "simple"]

TRAINING = {"Adagrad", "Adam", "Momentum", "Gradient", "SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss"}
RANDOM = {"Bernoulli", "RandomUniformLike", "RandomNormalLike", "RandomUniform", "RandomNormal", "Multinomial"}
SIGNAL = {"DFT", "STFT", "HannWindow", "HammingWindow", "BlackmanWindow", "MelWeightMatrix"}

# Cases whose operators Kiln runs but whose data it cannot match, with the reason.
BY_HAND = {
    "test_castlike_BFLOAT16_to_FLOAT": "test data feeds 'like' with shape [1] where the model declares [3, 4]",
    "test_castlike_BFLOAT16_to_FLOAT_expanded": "test data feeds 'like' with shape [1] where the model declares [3, 4]",
    "test_castlike_FLOAT_to_BFLOAT16": "test data feeds 'like' with shape [1] where the model declares [3, 4]",
    "test_castlike_FLOAT_to_BFLOAT16_expanded": "test data feeds 'like' with shape [1] where the model declares [3, 4]",
    "test_cast_FLOAT_to_BFLOAT16": "golden output truncates to bfloat16 (onnx 1.12 reference); Kiln, like ONNX Runtime, rounds to nearest even",
    "test_maxunpool_export_with_output_shape": "golden output re-bases indices taken from a 4x4 plane onto the 5x5 output_shape; ONNX Runtime and the ONNX reference scatter to the flat indices as MaxPool numbers them, and so does Kiln",
    "test_resize_downsample_scales_linear_align_corners": "golden output uses the fractional length scale*in (2.4) in align_corners; ONNX Runtime uses the integer output length, and so does Kiln (ONNX Runtime excludes this case too)",
    "test_resize_downsample_scales_cubic_align_corners": "golden output uses the fractional length scale*in in align_corners; ONNX Runtime uses the integer output length, and so does Kiln (ONNX Runtime excludes this case too)",
    "test_training_dropout": "Dropout in training mode draws random masks",
    "test_training_dropout_default": "Dropout in training mode draws random masks",
    "test_training_dropout_default_mask": "Dropout in training mode draws random masks",
    "test_training_dropout_mask": "Dropout in training mode draws random masks",
    "test_batchnorm_epsilon_training_mode": "BatchNormalization training mode (batch statistics, running-mean outputs) is not supported; ONNX Runtime's inference build rejects it too",
    "test_batchnorm_example_training_mode": "BatchNormalization training mode (batch statistics, running-mean outputs) is not supported; ONNX Runtime's inference build rejects it too",
}


def kiln_ops():
    src = open(OPS_JAVA).read()
    return set(re.findall(r"r\.add\(new (\w+)\(\)\);", src))


def ops_of(graph, acc):
    for n in graph.node:
        acc.add((n.domain if n.domain not in ("", "ai.onnx") else "", n.op_type))
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                ops_of(a.g, acc)
            for g in a.graphs:
                ops_of(g, acc)


def value_kinds(graph, acc):
    for vi in list(graph.input) + list(graph.output) + list(graph.value_info):
        t = vi.type
        kind = t.WhichOneof("value")
        if kind and kind != "tensor_type":
            acc.add(kind.replace("_type", ""))
        elif kind == "tensor_type" and t.tensor_type.elem_type == onnx.TensorProto.STRING:
            acc.add("string")
    for n in graph.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                value_kinds(a.g, acc)


def reason(case_dir, supported):
    m = onnx.load(os.path.join(case_dir, "model.onnx"))
    ops = set()
    ops_of(m.graph, ops)
    kinds = set()
    value_kinds(m.graph, kinds)
    missing = sorted(op for d, op in ops if d != "" or op not in supported)
    names = {op for _, op in ops}
    if names & TRAINING:
        return "training operator " + ", ".join(sorted(names & TRAINING)) + " (outside Kiln's operator list)"
    if names & RANDOM:
        return "random operator " + ", ".join(sorted(names & RANDOM)) + ": outputs cannot be compared"
    if kinds & {"sequence", "optional", "map"}:
        return ", ".join(sorted(kinds & {"sequence", "optional", "map"})) + " values: Kiln supports tensors only"
    if "string" in kinds:
        return "string tensors: Kiln supports numeric and bool tensors only"
    if names & SIGNAL:
        return "signal-processing operator " + ", ".join(sorted(names & SIGNAL)) + " (outside Kiln's operator list)"
    if missing:
        return "operator " + ", ".join(missing) + " is outside Kiln's operator list"
    return None


def main():
    testdata = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "../shared/testdata")
    root = os.path.join(testdata, "onnx-backend")
    supported = kiln_ops()
    lines = []
    for suite in SUITES:
        d = os.path.join(root, suite)
        if not os.path.isdir(d):
            continue
        for case in sorted(os.listdir(d)):
            cd = os.path.join(d, case)
            if not os.path.exists(os.path.join(cd, "model.onnx")):
                continue
            r = BY_HAND.get(case) or reason(cd, supported)
            if r:
                lines.append(f"{suite}/{case} {r}")
    with open(OUT, "w") as f:
        f.write("# ONNX backend cases Kiln does not run: <suite>/<case> <reason>.\n")
        f.write("# Generated by scripts/backend_exclusions.py from Kiln's operator list; every other case must pass.\n")
        for l in lines:
            f.write(l + "\n")
    print(f"{len(lines)} cases excluded -> {OUT}")


if __name__ == "__main__":
    main()
