#!/usr/bin/python3
"""Exports torchvision architectures (random weights, eval mode) to ONNX for Kiln's tests and benchmarks.

Usage: /usr/bin/python3 scripts/export_torchvision.py OUT_DIR [--opsets 11,13] [--models resnet18,...]

Needs Debian's python3-torch and python3-torchvision. Weights are random (seeded), so the models are
real architectures without a download; numbers are compared with ONNX Runtime, not with labels.
"""
import argparse
import os
import sys

import torch
import torchvision

MODELS = {
    # name: (constructor, input shape)
    "resnet18": (lambda: torchvision.models.resnet18(), (1, 3, 224, 224)),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(), (1, 3, 224, 224)),
    "mobilenet_v3_small": (lambda: torchvision.models.mobilenet_v3_small(), (1, 3, 224, 224)),
    "squeezenet1_1": (lambda: torchvision.models.squeezenet1_1(), (1, 3, 224, 224)),
    "shufflenet_v2_x1_0": (lambda: torchvision.models.shufflenet_v2_x1_0(), (1, 3, 224, 224)),
    "efficientnet_b0": (lambda: torchvision.models.efficientnet_b0(), (1, 3, 224, 224)),
    "googlenet": (lambda: torchvision.models.googlenet(aux_logits=False, init_weights=True), (1, 3, 224, 224)),
    "densenet121": (lambda: torchvision.models.densenet121(), (1, 3, 224, 224)),
    "regnet_y_400mf": (lambda: torchvision.models.regnet_y_400mf(), (1, 3, 224, 224)),
    "convnext_tiny": (lambda: torchvision.models.convnext_tiny(), (1, 3, 224, 224)),
    "vit_b_16": (lambda: torchvision.models.vit_b_16(), (1, 3, 224, 224)),
    "lraspp_mobilenet_v3_large": (
        lambda: torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights_backbone=None), (1, 3, 224, 224)),
    "deeplabv3_mobilenet_v3_large": (
        lambda: torchvision.models.segmentation.deeplabv3_mobilenet_v3_large(weights_backbone=None, aux_loss=False),
        (1, 3, 224, 224)),
    "fcn_resnet50": (
        lambda: torchvision.models.segmentation.fcn_resnet50(weights_backbone=None, aux_loss=False), (1, 3, 224, 224)),
}


class OutOnly(torch.nn.Module):
    """Segmentation models return a dict; export its 'out' tensor."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x):
        y = self.m(x)
        return y["out"] if isinstance(y, dict) else y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--opsets", default="13")
    ap.add_argument("--models", default=",".join(MODELS))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in args.models.split(","):
        ctor, shape = MODELS[name]
        torch.manual_seed(0)
        model = OutOnly(ctor()).eval()
        x = torch.randn(*shape)
        for opset in [int(o) for o in args.opsets.split(",")]:
            path = os.path.join(args.out, f"{name}-opset{opset}.onnx")
            if os.path.exists(path):
                continue
            tmp = path + ".tmp"
            with torch.no_grad():
                torch.onnx.export(model, x, tmp, opset_version=opset, input_names=["input"],
                                  output_names=["output"], do_constant_folding=True)
            os.replace(tmp, path)
            print(path, flush=True)


if __name__ == "__main__":
    sys.exit(main())
