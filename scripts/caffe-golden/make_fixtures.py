#!/usr/bin/python3
"""Golden fixtures for Kiln's Caffe importer, computed by OpenCV's DNN module.

What it does
    For every case defined below it writes a directory
    kiln-core/src/test/resources/caffe-golden/<case>/ holding
      net.prototxt    the net in protobuf text format (V2 `layer {}` form, or the
                      legacy V1 `layers { type: ENUM }` form for the cases marked v1),
      net.caffemodel  a binary NetParameter with the learned blobs, produced by the
                      small protobuf wire-format encoder in this file,
      input.npy       (or input_<blob>.npy when the net has several inputs), float32,
      output.npy      (or output_<blob>.npy when several blobs are checked), float32,
                      computed by cv2.dnn.readNetFromCaffe(net.prototxt, net.caffemodel)
                      on the OpenCV backend and the CPU target,
      case.json       layer type, input/output blob -> file maps and a note.
    Every case is also run with OpenCV's layer fusion switched off, and most cases
    are checked against a NumPy implementation of the Caffe formula; both maximum
    absolute differences are stored in case.json ("checks").
    A case that OpenCV refuses (parse error, unknown layer, assertion, crash) is
    not written; it is listed under "Skipped" in the generated README.md together
    with OpenCV's message.  Outputs are never made up.

How to rerun
    /usr/bin/python3 scripts/caffe-golden/make_fixtures.py
    (from the repository root; needs Debian's python3-opencv and python3-numpy.
    The Python first on PATH may lack cv2.)  Options:
      --out DIR        write somewhere else (default: the resources directory above)
      --only a,b,...   regenerate only the named cases (README is then not rewritten)
    All random data is seeded from the case name, so reruns are reproducible with
    the same OpenCV build.  With KILN_GOLDEN_TUNE=1 in the environment the whole-net
    SSD cases print their DetectionOutput margins and best scores instead of
    asserting them (to choose a confidence threshold after changing such a net).
"""
import argparse
import json
import math
import multiprocessing
import os
import shutil
import sys
import traceback
import zlib

import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "kiln-core", "src", "test", "resources", "caffe-golden")

# --------------------------------------------------------------------------------------
# Protocol buffer wire format (only what a caffemodel needs)
# --------------------------------------------------------------------------------------
WT_VARINT, WT_LEN = 0, 2


def pb_varint(n):
    if n < 0:
        n += 1 << 64  # int64 negative numbers take ten bytes
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def pb_key(field, wire_type):
    return pb_varint((field << 3) | wire_type)


def pb_len(field, payload):
    return pb_key(field, WT_LEN) + pb_varint(len(payload)) + payload


def pb_int(field, value):
    return pb_key(field, WT_VARINT) + pb_varint(int(value))


def pb_str(field, s):
    return pb_len(field, s.encode("utf-8"))


def pb_packed_float(field, values):
    return pb_len(field, np.asarray(values, dtype="<f4").ravel().tobytes())


def pb_packed_int(field, values):
    return pb_len(field, b"".join(pb_varint(int(v)) for v in values))


# caffe.proto field numbers used below
BLOB_NUM, BLOB_CHANNELS, BLOB_HEIGHT, BLOB_WIDTH, BLOB_DATA, BLOB_SHAPE = 1, 2, 3, 4, 5, 7
SHAPE_DIM = 1
NET_NAME, NET_LAYERS_V1, NET_INPUT, NET_INPUT_DIM, NET_INPUT_SHAPE, NET_LAYER = 1, 2, 3, 4, 8, 100
LAYER_NAME, LAYER_TYPE, LAYER_BOTTOM, LAYER_TOP, LAYER_BLOBS = 1, 2, 3, 4, 7
V1_BOTTOM, V1_TOP, V1_NAME, V1_TYPE, V1_BLOBS = 2, 3, 4, 5, 6
V1_TYPES = {
    "ABSVAL": 35, "ARGMAX": 30, "BNLL": 2, "CONCAT": 3, "CONVOLUTION": 4, "DECONVOLUTION": 39,
    "DROPOUT": 6, "ELTWISE": 25, "EXP": 38, "FLATTEN": 8, "INNER_PRODUCT": 14, "LRN": 15,
    "POOLING": 17, "POWER": 26, "RELU": 18, "SIGMOID": 19, "SOFTMAX": 20, "SPLIT": 22,
    "SLICE": 33, "TANH": 23, "THRESHOLD": 31,
}


def blob_v2(arr):
    arr = np.asarray(arr, dtype=np.float32)
    shape = pb_len(BLOB_SHAPE, pb_packed_int(SHAPE_DIM, arr.shape) if arr.ndim else b"")
    return pb_packed_float(BLOB_DATA, arr) + shape


def blob_v1(arr):
    arr = np.asarray(arr, dtype=np.float32)
    dims = [1] * (4 - arr.ndim) + list(arr.shape)
    assert len(dims) == 4, "legacy blobs are 4-D"
    return (pb_int(BLOB_NUM, dims[0]) + pb_int(BLOB_CHANNELS, dims[1]) + pb_int(BLOB_HEIGHT, dims[2])
            + pb_int(BLOB_WIDTH, dims[3]) + pb_packed_float(BLOB_DATA, arr))


# --------------------------------------------------------------------------------------
# Net description and protobuf text rendering
# --------------------------------------------------------------------------------------
class Enum(str):
    """A protobuf enum value: rendered without quotes."""


def fmt_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Enum):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return repr(float(v))


def render_fields(fields, indent):
    pad = "  " * indent
    lines = []
    for key, value in fields.items():
        for v in (value if isinstance(value, list) else [value]):
            if isinstance(v, dict):
                lines.append("%s%s {" % (pad, key))
                lines.extend(render_fields(v, indent + 1))
                lines.append("%s}" % pad)
            else:
                lines.append("%s%s: %s" % (pad, key, fmt_scalar(v)))
    return lines


class L:
    """One Caffe layer: name, type (string for V2, enum name for V1), bottoms, tops,
    layer-specific parameters (a dict rendered as text) and learned blobs."""

    def __init__(self, name, type_, bottom, top, params=None, blobs=()):
        self.name, self.type = name, type_
        self.bottom = [bottom] if isinstance(bottom, str) else list(bottom)
        self.top = [top] if isinstance(top, str) else list(top)
        self.params = params or {}
        self.blobs = [np.asarray(b, dtype=np.float32) for b in blobs]


class Case:
    def __init__(self, name, layer_type, inputs, layers, outputs, note="", fmt="v2",
                 input_style="input_shape", ref=None, known_issue=""):
        self.name, self.layer_type, self.inputs = name, layer_type, inputs
        self.layers, self.outputs, self.note = layers, outputs, note
        self.fmt, self.input_style, self.ref = fmt, input_style, ref
        self.known_issue = known_issue

    # --- prototxt
    def prototxt(self):
        lines = ['name: "%s"' % self.name]
        layer_key = "layers" if self.fmt == "v1" else "layer"
        if self.input_style in ("input_shape", "input_dim"):
            for blob, arr in self.inputs.items():
                lines.append('input: "%s"' % blob)
                if self.input_style == "input_dim":
                    assert arr.ndim == 4
                    lines.extend("input_dim: %d" % d for d in arr.shape)
                else:
                    lines.append("input_shape { %s }" % " ".join("dim: %d" % d for d in arr.shape))
        else:  # Input layer(s)
            for blob, arr in self.inputs.items():
                lines.append("layer {")
                lines.extend(render_fields({
                    "name": blob, "type": "Input", "top": blob,
                    "input_param": {"shape": {"dim": [int(d) for d in arr.shape]}}}, 1))
                lines.append("}")
        for l in self.layers:
            fields = {"name": l.name, "type": Enum(l.type) if self.fmt == "v1" else l.type}
            if l.bottom:
                fields["bottom"] = l.bottom
            fields["top"] = l.top
            fields.update(l.params)
            lines.append("%s {" % layer_key)
            lines.extend(render_fields(fields, 1))
            lines.append("}")
        return "\n".join(lines) + "\n"

    # --- caffemodel
    def caffemodel(self):
        out = [pb_str(NET_NAME, self.name)]
        if self.fmt == "v1":
            for blob, arr in self.inputs.items():
                out.append(pb_str(NET_INPUT, blob))
                out.extend(pb_int(NET_INPUT_DIM, d) for d in arr.shape)
            for l in self.layers:
                msg = [pb_str(V1_BOTTOM, b) for b in l.bottom] + [pb_str(V1_TOP, t) for t in l.top]
                msg += [pb_str(V1_NAME, l.name), pb_int(V1_TYPE, V1_TYPES[l.type])]
                msg += [pb_len(V1_BLOBS, blob_v1(b)) for b in l.blobs]
                out.append(pb_len(NET_LAYERS_V1, b"".join(msg)))
            return b"".join(out)
        layers = []
        if self.input_style == "layer":
            for blob in self.inputs:
                layers.append(pb_str(LAYER_NAME, blob) + pb_str(LAYER_TYPE, "Input") + pb_str(LAYER_TOP, blob))
        else:
            for blob, arr in self.inputs.items():
                out.append(pb_str(NET_INPUT, blob))
                if self.input_style == "input_dim":
                    out.extend(pb_int(NET_INPUT_DIM, d) for d in arr.shape)
                else:
                    out.append(pb_len(NET_INPUT_SHAPE, pb_packed_int(SHAPE_DIM, arr.shape)))
        for l in self.layers:
            msg = [pb_str(LAYER_NAME, l.name), pb_str(LAYER_TYPE, l.type)]
            msg += [pb_str(LAYER_BOTTOM, b) for b in l.bottom] + [pb_str(LAYER_TOP, t) for t in l.top]
            msg += [pb_len(LAYER_BLOBS, blob_v2(b)) for b in l.blobs]
            layers.append(b"".join(msg))
        out.extend(pb_len(NET_LAYER, m) for m in layers)
        return b"".join(out)

    def producer(self, blob):
        """(layer name, output index) of the last layer writing `blob`."""
        found = None
        for l in self.layers:
            if blob in l.top:
                found = (l.name, l.top.index(blob))
        if found is None:
            raise KeyError(blob)
        return found


# --------------------------------------------------------------------------------------
# NumPy implementations of the Caffe formulas (independent cross-check of OpenCV)
# --------------------------------------------------------------------------------------
def ref_conv(x, w, b, stride, pad, dil, group):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh = (h + 2 * pad[0] - (dil[0] * (kh - 1) + 1)) // stride[0] + 1
    ow = (wd + 2 * pad[1] - (dil[1] * (kw - 1) + 1)) // stride[1] + 1
    xp = np.zeros((n, c, h + 2 * pad[0], wd + 2 * pad[1]), np.float64)
    xp[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + wd] = x
    y = np.zeros((n, o, oh, ow), np.float64)
    og = o // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dil[0]: i * dil[0] + stride[0] * (oh - 1) + 1: stride[0],
                           j * dil[1]: j * dil[1] + stride[1] * (ow - 1) + 1: stride[1]]
                y[:, g * og:(g + 1) * og] += np.einsum("nchw,oc->nohw", patch, w[g * og:(g + 1) * og, :, i, j])
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def ref_deconv(x, w, b, stride, pad, group):
    n, c, h, wd = x.shape
    _, og, kh, kw = w.shape
    full_h, full_w = stride * (h - 1) + kh, stride * (wd - 1) + kw
    y = np.zeros((n, og * group, full_h, full_w), np.float64)
    cg = c // group
    for g in range(group):
        for i in range(kh):
            for j in range(kw):
                contrib = np.einsum("nchw,co->nohw", x[:, g * cg:(g + 1) * cg], w[g * cg:(g + 1) * cg, :, i, j])
                y[:, g * og:(g + 1) * og, i:i + stride * (h - 1) + 1:stride, j:j + stride * (wd - 1) + 1:stride] += contrib
    y = y[:, :, pad:full_h - pad, pad:full_w - pad]
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def caffe_pool_out(size, k, s, p):
    out = int(math.ceil(float(size + 2 * p - k) / s)) + 1
    if p > 0 and (out - 1) * s >= size + p:
        out -= 1
    return out


def ref_pool(x, k, s, p, mode, global_pool=False):
    n, c, h, w = x.shape
    if global_pool:
        k, s, p = (h, w), (1, 1), (0, 0)
    oh, ow = caffe_pool_out(h, k[0], s[0], p[0]), caffe_pool_out(w, k[1], s[1], p[1])
    y = np.zeros((n, c, oh, ow), np.float64)
    for i in range(oh):
        hs = i * s[0] - p[0]
        he = min(hs + k[0], h + p[0])
        for j in range(ow):
            ws = j * s[1] - p[1]
            we = min(ws + k[1], w + p[1])
            area = (he - hs) * (we - ws)
            win = x[:, :, max(hs, 0):min(he, h), max(ws, 0):min(we, w)]
            y[:, :, i, j] = win.max(axis=(2, 3)) if mode == "MAX" else win.sum(axis=(2, 3)) / area
    return y


def ref_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def ref_lrn_across(x, size, alpha, beta, k):
    sq = np.pad(x.astype(np.float64) ** 2, ((0, 0), ((size - 1) // 2, size // 2), (0, 0), (0, 0)))
    acc = sum(sq[:, i:i + x.shape[1]] for i in range(size))
    return x / (k + alpha / size * acc) ** beta


def ref_lrn_within(x, size, alpha, beta):
    # Caffe: AVE pooling of x^2 (pad (size-1)/2, divisor size*size), then (1 + alpha*avg)^-beta
    p = (size - 1) // 2
    avg = ref_pool(x.astype(np.float64) ** 2, (size, size), (1, 1), (p, p), "AVE")
    return x * (1.0 + alpha * avg) ** (-beta)


def ref_priorbox(fh, fw, ih, iw, min_sizes, max_sizes, ars, flip, clip, variance, step, offset):
    ar_list = [1.0]
    for ar in ars:
        if any(abs(ar - a) < 1e-6 for a in ar_list):
            continue
        ar_list.append(ar)
        if flip:
            ar_list.append(1.0 / ar)
    sh = sw = step if step else None
    sh = sh or ih / fh
    sw = sw or iw / fw
    boxes = []
    for y in range(fh):
        for x in range(fw):
            cx, cy = (x + offset) * sw, (y + offset) * sh
            for si, ms in enumerate(min_sizes):
                sizes = [(ms, ms)]
                if max_sizes:
                    m = math.sqrt(ms * max_sizes[si])
                    sizes.append((m, m))
                for ar in ar_list:
                    if abs(ar - 1.0) < 1e-6:
                        continue
                    sizes.append((ms * math.sqrt(ar), ms / math.sqrt(ar)))
                for bw, bh in sizes:
                    boxes.append([(cx - bw / 2) / iw, (cy - bh / 2) / ih, (cx + bw / 2) / iw, (cy + bh / 2) / ih])
    boxes = np.array(boxes, np.float64).ravel()
    if clip:
        boxes = np.clip(boxes, 0, 1)
    var = np.tile(np.array(variance, np.float64), boxes.size // 4)
    return np.stack([boxes, var])[None]


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------
def rng_for(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def f32(a):
    return np.asarray(a, dtype=np.float32)


def single(layer_type, name, x, type_, params=None, blobs=(), ref=None, note="", input_style="input_shape",
           known_issue=""):
    """A net made of one layer reading `data` and writing `out`."""
    return Case(name, layer_type, {"data": x}, [L(name, type_, "data", "out", params, blobs)], ["out"],
                note=note, input_style=input_style, ref=ref, known_issue=known_issue)


# ---- Convolution ---------------------------------------------------------------------
@case
def convolution_cases():
    out = []
    r = rng_for("conv_basic")
    x, w, b = f32(r.normal(size=(1, 3, 8, 8))), f32(r.normal(0, 0.3, (4, 3, 3, 3))), f32(r.normal(0, 0.1, 4))
    out.append(single("Convolution", "conv_basic", x, "Convolution",
                      {"convolution_param": {"num_output": 4, "kernel_size": 3, "pad": 1, "stride": 1}}, [w, b],
                      ref=lambda i, x=x, w=w, b=b: {"out": ref_conv(i["data"], w, b, (1, 1), (1, 1), (1, 1), 1)},
                      note="3x3, pad 1, stride 1, bias; net inputs declared with input + input_shape"))
    r = rng_for("conv_group_dilation")
    x, w, b = f32(r.normal(size=(1, 4, 9, 9))), f32(r.normal(0, 0.3, (6, 2, 3, 3))), f32(r.normal(0, 0.1, 6))
    out.append(single("Convolution", "conv_group_dilation", x, "Convolution",
                      {"convolution_param": {"num_output": 6, "kernel_size": 3, "pad": 2, "dilation": 2, "group": 2}},
                      [w, b], ref=lambda i, w=w, b=b: {"out": ref_conv(i["data"], w, b, (1, 1), (2, 2), (2, 2), 2)},
                      note="group 2, dilation 2, pad 2"))
    r = rng_for("conv_hw_nobias")
    x, w = f32(r.normal(size=(1, 3, 7, 9))), f32(r.normal(0, 0.3, (4, 3, 3, 2)))
    out.append(single("Convolution", "conv_hw_nobias", x, "Convolution",
                      {"convolution_param": {"num_output": 4, "bias_term": False, "kernel_h": 3, "kernel_w": 2,
                                             "pad_h": 1, "pad_w": 0, "stride_h": 2, "stride_w": 1}}, [w],
                      ref=lambda i, w=w: {"out": ref_conv(i["data"], w, None, (2, 1), (1, 0), (1, 1), 1)},
                      note="kernel_h/kernel_w 3x2, pad_h 1 pad_w 0, stride_h 2 stride_w 1, bias_term false "
                           "(one blob); non-square 7x9 input; net input is an Input layer", input_style="layer"))
    r = rng_for("conv_repeated_fields")
    x, w, b = f32(r.normal(size=(1, 2, 6, 7))), f32(r.normal(0, 0.3, (3, 2, 3, 1))), f32(r.normal(0, 0.1, 3))
    out.append(single("Convolution", "conv_repeated_fields", x, "Convolution",
                      {"convolution_param": {"num_output": 3, "kernel_size": [3, 1], "pad": [1, 0], "stride": [1, 2]}},
                      [w, b], ref=lambda i, w=w, b=b: {"out": ref_conv(i["data"], w, b, (1, 2), (1, 0), (1, 1), 1)},
                      note="repeated kernel_size/pad/stride (two values = h, w): kernel 3x1, pad 1x0, stride 1x2"))
    r = rng_for("conv_depthwise_stride2")
    x, w, b = f32(r.normal(size=(1, 4, 8, 8))), f32(r.normal(0, 0.4, (4, 1, 3, 3))), f32(r.normal(0, 0.1, 4))
    out.append(single("Convolution", "conv_depthwise_stride2", x, "Convolution",
                      {"convolution_param": {"num_output": 4, "group": 4, "kernel_size": 3, "pad": 1, "stride": 2}},
                      [w, b], ref=lambda i, w=w, b=b: {"out": ref_conv(i["data"], w, b, (2, 2), (1, 1), (1, 1), 4)},
                      note="depthwise (group = channels = num_output 4), stride 2, pad 1"))
    r = rng_for("conv_relu_inplace")
    x, w, b = f32(r.normal(size=(1, 3, 6, 6))), f32(r.normal(0, 0.3, (5, 3, 1, 1))), f32(r.normal(0, 0.1, 5))
    out.append(Case("conv_relu_inplace", "Convolution", {"data": x},
                    [L("conv", "Convolution", "data", "conv", {"convolution_param": {"num_output": 5, "kernel_size": 1}}, [w, b]),
                     L("relu", "ReLU", "conv", "conv")], ["conv"],
                    note="1x1 conv followed by an in-place ReLU (OpenCV fuses them); blob 'conv' is the ReLU output",
                    ref=lambda i, w=w, b=b: {"conv": np.maximum(ref_conv(i["data"], w, b, (1, 1), (0, 0), (1, 1), 1), 0)}))
    return out


# ---- Deconvolution -------------------------------------------------------------------
@case
def deconvolution_cases():
    out = []
    r = rng_for("deconv_stride2")
    x, w, b = f32(r.normal(size=(1, 4, 4, 4))), f32(r.normal(0, 0.3, (4, 3, 4, 4))), f32(r.normal(0, 0.1, 3))
    out.append(single("Deconvolution", "deconv_stride2", x, "Deconvolution",
                      {"convolution_param": {"num_output": 3, "kernel_size": 4, "stride": 2, "pad": 1}}, [w, b],
                      ref=lambda i, w=w, b=b: {"out": ref_deconv(i["data"], w, b, 2, 1, 1)},
                      note="kernel 4, stride 2, pad 1: 4x4 -> 8x8; weight blob is [C_in, C_out/group, kh, kw]"))
    r = rng_for("deconv_group")
    x, w = f32(r.normal(size=(1, 4, 5, 5))), f32(r.normal(0, 0.3, (4, 3, 3, 3)))
    out.append(single("Deconvolution", "deconv_group", x, "Deconvolution",
                      {"convolution_param": {"num_output": 6, "kernel_size": 3, "stride": 2, "group": 2,
                                             "bias_term": False}}, [w],
                      ref=lambda i, w=w: {"out": ref_deconv(i["data"], w, None, 2, 0, 2)},
                      note="group 2, stride 2, kernel 3, no pad, bias_term false: 5x5 -> 11x11"))
    return out


# ---- InnerProduct --------------------------------------------------------------------
@case
def inner_product_cases():
    out = []
    r = rng_for("ip_4d_input")
    x, w, b = f32(r.normal(size=(1, 3, 4, 4))), f32(r.normal(0, 0.2, (5, 48))), f32(r.normal(0, 0.1, 5))
    out.append(single("InnerProduct", "ip_4d_input", x, "InnerProduct", {"inner_product_param": {"num_output": 5}},
                      [w, b], ref=lambda i, w=w, b=b: {"out": i["data"].reshape(1, -1) @ w.T + b},
                      note="4-D input, axis 1 (default): flattens C*H*W; weight [num_output, 48]; output shape [1,5]"))
    r = rng_for("ip_batch2_nobias")
    x, w = f32(r.normal(size=(2, 6))), f32(r.normal(0, 0.3, (4, 6)))
    out.append(single("InnerProduct", "ip_batch2_nobias", x, "InnerProduct",
                      {"inner_product_param": {"num_output": 4, "bias_term": False}}, [w],
                      ref=lambda i, w=w: {"out": i["data"] @ w.T}, note="2-D input with batch 2, bias_term false"))
    r = rng_for("ip_transpose")
    x, w, b = f32(r.normal(size=(1, 3, 2, 2))), f32(r.normal(0, 0.3, (12, 5))), f32(r.normal(0, 0.1, 5))
    out.append(single("InnerProduct", "ip_transpose", x, "InnerProduct",
                      {"inner_product_param": {"num_output": 5, "transpose": True}}, [w, b],
                      ref=lambda i, w=w, b=b: {"out": i["data"].reshape(1, -1) @ w + b},
                      note="transpose true: weight blob stored as [K=12, num_output=5]",
                      known_issue="OpenCV 4.6 ignores inner_product_param.transpose: it reads the [12,5] blob as if "
                                  "it were [5,12] row-major (output = x @ blob.reshape(5,12).T + b)"))
    r = rng_for("ip_axis2")
    x, w, b = f32(r.normal(size=(1, 2, 3, 4))), f32(r.normal(0, 0.3, (5, 12))), f32(r.normal(0, 0.1, 5))
    out.append(single("InnerProduct", "ip_axis2", x, "InnerProduct",
                      {"inner_product_param": {"num_output": 5, "axis": 2}}, [w, b],
                      ref=lambda i, w=w, b=b: {"out": i["data"].reshape(1, 2, 12) @ w.T + b},
                      note="axis 2 on a 1x2x3x4 input: output shape [1,2,5]"))
    return out


# ---- Pooling -------------------------------------------------------------------------
@case
def pooling_cases():
    out = []
    specs = [
        ("pool_max_ceil", (1, 2, 8, 8), {"pool": Enum("MAX"), "kernel_size": 3, "stride": 2}, (3, 3), (2, 2), (0, 0),
         "MAX k3 s2 on 8x8: Caffe's ceil rounding gives 4x4 (floor would give 3x3)"),
        ("pool_ave_pad", (1, 2, 7, 7), {"pool": Enum("AVE"), "kernel_size": 3, "stride": 2, "pad": 1}, (3, 3), (2, 2), (1, 1),
         "AVE k3 s2 pad 1 on 7x7 -> 4x4; padded zeros count in the divisor"),
        ("pool_ave_ceil_overhang", (1, 2, 8, 8), {"pool": Enum("AVE"), "kernel_size": 3, "stride": 2}, (3, 3), (2, 2), (0, 0),
         "AVE k3 s2 on 8x8 -> 4x4; the last window hangs over the border and divides by the 2 in-range rows/cols only"),
        ("pool_max_stride_gt_kernel", (1, 2, 7, 7), {"pool": Enum("MAX"), "kernel_size": 2, "stride": 3, "pad": 1},
         (2, 2), (3, 3), (1, 1),
         "MAX k2 s3 pad 1 on 7x7: ceil gives 4 but Caffe drops the window starting inside the padding -> 3x3"),
        ("pool_max_hw", (1, 2, 7, 6), {"pool": Enum("MAX"), "kernel_h": 3, "kernel_w": 2, "stride_h": 2, "stride_w": 1,
                                       "pad_h": 1, "pad_w": 0}, (3, 2), (2, 1), (1, 0),
         "kernel_h/kernel_w, stride_h/stride_w, pad_h/pad_w"),
    ]
    for name, shape, params, k, s, p, note in specs:
        x = f32(rng_for(name).normal(size=shape))
        mode = str(params["pool"])
        out.append(single("Pooling", name, x, "Pooling", {"pooling_param": params},
                          ref=lambda i, k=k, s=s, p=p, mode=mode: {"out": ref_pool(i["data"], k, s, p, mode)}, note=note))
    for mode in ("MAX", "AVE"):
        name = "pool_global_" + mode.lower()
        x = f32(rng_for(name).normal(size=(1, 3, 5, 6)))
        out.append(single("Pooling", name, x, "Pooling", {"pooling_param": {"pool": Enum(mode), "global_pooling": True}},
                          ref=lambda i, mode=mode: {"out": ref_pool(i["data"], None, None, None, mode, True)},
                          note="global_pooling true (%s) on a 5x6 map -> 1x1" % mode))
    return out


# ---- element-wise activations --------------------------------------------------------
KNOWN = {
    "log_base10": "OpenCV 4.6 ignores log_param (base, scale, shift): it computes ln(x)",
    "log_base_only": "OpenCV 4.6 ignores log_param (base, scale, shift): it computes ln(x)",
    "threshold": "OpenCV 4.6 has no Threshold layer",
}


def _act(name, type_, params, fn, note, nonneg=False, blobs=(), shape=(1, 3, 4, 5)):
    r = rng_for(name)
    x = f32(r.uniform(0.05, 3.0, shape) if nonneg else r.normal(0, 1.5, shape))
    return single(type_, name, x, type_, params, blobs, ref=lambda i: {"out": fn(i["data"].astype(np.float64))},
                  note=note, known_issue=KNOWN.get(name, ""))


@case
def activation_cases():
    prelu_w = f32(rng_for("prelu_w").uniform(0.05, 0.5, 3))
    return [
        _act("relu", "ReLU", {}, lambda x: np.maximum(x, 0), "plain ReLU"),
        _act("relu_negative_slope", "ReLU", {"relu_param": {"negative_slope": 0.1}},
             lambda x: np.where(x > 0, x, 0.1 * x), "negative_slope 0.1"),
        _act("relu6", "ReLU6", {}, lambda x: np.clip(x, 0, 6),
             "ReLU6 is not a BVLC Caffe layer; OpenCV's Caffe reader accepts type ReLU6 (clip to [0,6])"),
        _act("prelu_channel", "PReLU", {}, lambda x: np.where(x > 0, x, x * prelu_w.reshape(1, 3, 1, 1)),
             "per-channel slopes, blob shape [3]", blobs=[prelu_w]),
        _act("prelu_shared", "PReLU", {"prelu_param": {"channel_shared": True}}, lambda x: np.where(x > 0, x, 0.25 * x),
             "channel_shared true, blob shape [1] = 0.25", blobs=[f32([0.25])]),
        _act("elu", "ELU", {"elu_param": {"alpha": 0.5}}, lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1)),
             "alpha 0.5"),
        _act("sigmoid", "Sigmoid", {}, lambda x: 1 / (1 + np.exp(-x)), ""),
        _act("tanh", "TanH", {}, np.tanh, ""),
        _act("absval", "AbsVal", {}, np.abs, ""),
        _act("bnll", "BNLL", {}, lambda x: np.log1p(np.exp(x)), "log(1 + exp(x))"),
        _act("power", "Power", {"power_param": {"power": 2.0, "scale": 0.5, "shift": 1.0}},
             lambda x: (1.0 + 0.5 * x) ** 2, "(shift + scale*x)^power with power 2, scale 0.5, shift 1"),
        _act("power_fractional", "Power", {"power_param": {"power": 0.5, "scale": 2.0, "shift": 0.1}},
             lambda x: (0.1 + 2.0 * x) ** 0.5, "power 0.5, scale 2, shift 0.1 on non-negative input", nonneg=True),
        _act("power_default_power", "Power", {"power_param": {"scale": -1.5, "shift": 0.25}},
             lambda x: 0.25 - 1.5 * x, "power 1 (default): affine only"),
        _act("exp_base2", "Exp", {"exp_param": {"base": 2.0, "scale": 0.5, "shift": 0.1}},
             lambda x: 2.0 ** (0.1 + 0.5 * x), "base^(shift + scale*x) with base 2, scale 0.5, shift 0.1"),
        _act("exp_default", "Exp", {}, np.exp, "base -1 (default) = e"),
        _act("log_base10", "Log", {"log_param": {"base": 10.0, "scale": 2.0, "shift": 1.0}},
             lambda x: np.log10(1.0 + 2.0 * x), "log_base(shift + scale*x), base 10, scale 2, shift 1; non-negative input",
             nonneg=True),
        _act("log_base_only", "Log", {"log_param": {"base": 2.0}}, np.log2, "base 2 only", nonneg=True),
        _act("log_default", "Log", {}, np.log, "natural log; positive input", nonneg=True),
        _act("threshold", "Threshold", {"threshold_param": {"threshold": 0.2}}, lambda x: (x > 0.2).astype(np.float64),
             "1 where x > 0.2 else 0"),
        _act("dropout", "Dropout", {"dropout_param": {"dropout_ratio": 0.3}}, lambda x: x,
             "identity at inference (Caffe scales during training)"),
    ]


# ---- BatchNorm / Scale / Bias --------------------------------------------------------
def _bn_ref(x, mean, var, eps):
    return (x - mean.reshape(1, -1, 1, 1)) / np.sqrt(var.reshape(1, -1, 1, 1) + eps)


@case
def norm_cases():
    out = []
    r = rng_for("batchnorm_scale_factor")
    x = f32(r.normal(1.0, 2.0, (1, 4, 5, 5)))
    mean, var = r.normal(0.5, 1.0, 4), r.uniform(0.5, 3.0, 4)
    factor = 0.5
    blobs = [f32(mean * factor), f32(var * factor), f32([factor])]
    out.append(single("BatchNorm", "batchnorm_scale_factor", x, "BatchNorm",
                      {"batch_norm_param": {"use_global_stats": True, "eps": 0.001}}, blobs,
                      ref=lambda i, m=mean, v=var: {"out": _bn_ref(i["data"], m, v, 0.001)},
                      note="blobs: mean*0.5, var*0.5, [0.5] (moving-average factor): effective mean/var = blob/0.5; "
                           "eps 0.001, use_global_stats true"))
    r = rng_for("batchnorm_default")
    x = f32(r.normal(0.0, 1.5, (1, 3, 4, 4)))
    mean, var = r.normal(0, 0.5, 3), r.uniform(0.2, 2.0, 3)
    out.append(single("BatchNorm", "batchnorm_default", x, "BatchNorm", {},
                      [f32(mean), f32(var), f32([1.0])], ref=lambda i, m=mean, v=var: {"out": _bn_ref(i["data"], m, v, 1e-5)},
                      note="no batch_norm_param (eps 1e-5, global stats at inference), factor blob 1.0"))
    r = rng_for("batchnorm_then_scale")
    x = f32(r.normal(0.0, 1.5, (1, 4, 4, 4)))
    mean, var = r.normal(0, 0.5, 4), r.uniform(0.2, 2.0, 4)
    g, b = f32(r.normal(1, 0.3, 4)), f32(r.normal(0, 0.3, 4))
    out.append(Case("batchnorm_then_scale", "BatchNorm+Scale", {"data": x},
                    [L("bn", "BatchNorm", "data", "data_bn", {"batch_norm_param": {"use_global_stats": True}},
                       [f32(mean * 2.0), f32(var * 2.0), f32([2.0])]),
                     L("scale", "Scale", "data_bn", "data_bn", {"scale_param": {"bias_term": True}}, [g, b])],
                    ["data_bn"],
                    ref=lambda i, m=mean, v=var, g=g, b=b: {
                        "data_bn": _bn_ref(i["data"], m, v, 1e-5) * g.reshape(1, -1, 1, 1) + b.reshape(1, -1, 1, 1)},
                    note="BatchNorm (factor blob 2.0) then in-place Scale with bias_term true (the usual ResNet pair)"))
    r = rng_for("scale_channel")
    x, s = f32(r.normal(size=(1, 3, 4, 4))), f32(r.normal(1, 0.5, 3))
    out.append(single("Scale", "scale_channel", x, "Scale", {}, [s],
                      ref=lambda i, s=s: {"out": i["data"] * s.reshape(1, 3, 1, 1)},
                      note="default axis 1, num_axes 1, no bias"))
    r = rng_for("scale_axis1_numaxes2")
    x, s, b = f32(r.normal(size=(1, 3, 4, 5))), f32(r.normal(1, 0.5, (3, 4))), f32(r.normal(0, 0.5, (3, 4)))
    out.append(single("Scale", "scale_axis1_numaxes2", x, "Scale",
                      {"scale_param": {"axis": 1, "num_axes": 2, "bias_term": True}}, [s, b],
                      ref=lambda i, s=s, b=b: {"out": i["data"] * s.reshape(1, 3, 4, 1) + b.reshape(1, 3, 4, 1)},
                      note="axis 1, num_axes 2: scale and bias blobs [3,4] broadcast over W"))
    r = rng_for("scale_axis2")
    x, s = f32(r.normal(size=(1, 2, 3, 4))), f32(r.normal(1, 0.5, (3,)))
    out.append(single("Scale", "scale_axis2", x, "Scale", {"scale_param": {"axis": 2}}, [s],
                      ref=lambda i, s=s: {"out": i["data"] * s.reshape(1, 1, 3, 1)},
                      note="axis 2, num_axes 1: blob [3] scales H"))
    r = rng_for("scale_two_bottoms")
    x, s = f32(r.normal(size=(1, 3, 4, 4))), f32(r.normal(1, 0.5, (1, 3)))
    out.append(Case("scale_two_bottoms", "Scale", {"data": x, "s": s},
                    [L("scale", "Scale", ["data", "s"], "out", {"scale_param": {"axis": 0}})], ["out"],
                    ref=lambda i: {"out": i["data"] * i["s"].reshape(1, 3, 1, 1)},
                    note="second bottom is the scale (shape [1,3], axis 0), no learned blobs (SE-block form)"))
    r = rng_for("bias_channel")
    x, b = f32(r.normal(size=(1, 3, 4, 4))), f32(r.normal(0, 0.5, 3))
    out.append(single("Bias", "bias_channel", x, "Bias", {}, [b],
                      ref=lambda i, b=b: {"out": i["data"] + b.reshape(1, 3, 1, 1)}, note="learned per-channel bias [3]",
                      known_issue="OpenCV 4.6 has no layer for the Caffe type Bias"))
    r = rng_for("scale_scalar")
    x = f32(r.normal(size=(1, 2, 3, 3)))
    out.append(single("Scale", "scale_scalar", x, "Scale", {"scale_param": {"num_axes": 0, "bias_term": True}},
                      [f32(1.75), f32(-0.5)], ref=lambda i: {"out": i["data"] * 1.75 - 0.5},
                      note="num_axes 0: one scale and one bias for the whole blob (0-D blobs, empty shape)",
                      known_issue="OpenCV 4.6 fails on a Scale layer with num_axes 0"))
    return out


# ---- Eltwise / Concat / Split / Slice ------------------------------------------------
@case
def structure_cases():
    out = []
    r = rng_for("eltwise")
    a, b, c = (f32(r.normal(size=(1, 3, 4, 4))) for _ in range(3))
    for name, params, fn, note in [
        ("eltwise_sum_coeff", {"eltwise_param": {"operation": Enum("SUM"), "coeff": [0.5, -1.5]}},
         lambda i: 0.5 * i["a"] - 1.5 * i["b"], "SUM with coeff 0.5, -1.5"),
        ("eltwise_sum", {}, lambda i: i["a"] + i["b"], "default operation (SUM), no coeff"),
        ("eltwise_prod", {"eltwise_param": {"operation": Enum("PROD")}}, lambda i: i["a"] * i["b"], "PROD"),
        ("eltwise_max", {"eltwise_param": {"operation": Enum("MAX")}}, lambda i: np.maximum(i["a"], i["b"]), "MAX"),
    ]:
        out.append(Case(name, "Eltwise", {"a": a, "b": b}, [L(name, "Eltwise", ["a", "b"], "out", params)], ["out"],
                        ref=lambda i, fn=fn: {"out": fn(i)}, note=note + "; two net inputs a, b"))
    out.append(Case("eltwise_sum_three", "Eltwise", {"a": a, "b": b, "c": c},
                    [L("sum3", "Eltwise", ["a", "b", "c"], "out",
                       {"eltwise_param": {"operation": Enum("SUM"), "coeff": [1.0, 2.0, -0.5]}})], ["out"],
                    ref=lambda i: {"out": i["a"] + 2 * i["b"] - 0.5 * i["c"]}, note="three bottoms with coeff 1, 2, -0.5",
                    input_style="layer"))
    r = rng_for("concat")
    a, b = f32(r.normal(size=(1, 2, 3, 4))), f32(r.normal(size=(1, 3, 3, 4)))
    out.append(Case("concat_channels", "Concat", {"a": a, "b": b}, [L("cat", "Concat", ["a", "b"], "out")], ["out"],
                    ref=lambda i: {"out": np.concatenate([i["a"], i["b"]], 1)}, note="default axis 1"))
    a2, b2 = f32(r.normal(size=(1, 2, 3, 4))), f32(r.normal(size=(1, 2, 2, 4)))
    out.append(Case("concat_axis2", "Concat", {"a": a2, "b": b2},
                    [L("cat", "Concat", ["a", "b"], "out", {"concat_param": {"axis": 2}})], ["out"],
                    ref=lambda i: {"out": np.concatenate([i["a"], i["b"]], 2)}, note="axis 2"))
    a3, b3 = f32(r.normal(size=(1, 2, 3, 2))), f32(r.normal(size=(1, 2, 3, 3)))
    out.append(Case("concat_legacy_concat_dim", "Concat", {"a": a3, "b": b3},
                    [L("cat", "Concat", ["a", "b"], "out", {"concat_param": {"concat_dim": 3}})], ["out"],
                    ref=lambda i: {"out": np.concatenate([i["a"], i["b"]], 3)},
                    note="legacy concat_dim 3 (alias of axis)",
                    known_issue="OpenCV 4.6 ignores concat_param.concat_dim and concatenates on axis 1"))
    x = f32(rng_for("split").normal(size=(1, 3, 4, 4)))
    out.append(Case("split", "Split", {"data": x},
                    [L("split", "Split", "data", ["s1", "s2"]), L("relu", "ReLU", "s1", "r1"),
                     L("pow", "Power", "s2", "p2", {"power_param": {"scale": 2.0, "shift": -1.0}}),
                     L("add", "Eltwise", ["r1", "p2"], "out")], ["r1", "p2", "out"],
                    ref=lambda i: {"r1": np.maximum(i["data"], 0), "p2": 2 * i["data"] - 1,
                                   "out": np.maximum(i["data"], 0) + 2 * i["data"] - 1},
                    note="explicit Split into two branches, joined by Eltwise SUM"))
    x = f32(rng_for("slice").normal(size=(1, 5, 4, 6)))
    out.append(Case("slice_points_axis1", "Slice", {"data": x},
                    [L("slice", "Slice", "data", ["a", "b", "c"], {"slice_param": {"axis": 1, "slice_point": [1, 3]}})],
                    ["a", "b", "c"], ref=lambda i: dict(zip("abc", np.split(i["data"], [1, 3], 1))),
                    note="slice_point 1, 3 on axis 1 (C=5): channels [0,1), [1,3), [3,5)"))
    out.append(Case("slice_equal_axis3", "Slice", {"data": x},
                    [L("slice", "Slice", "data", ["a", "b", "c"], {"slice_param": {"axis": 3}})], ["a", "b", "c"],
                    ref=lambda i: dict(zip("abc", np.split(i["data"], 3, 3))),
                    note="no slice_point: W=6 split equally into 3 tops; axis 3",
                    known_issue="OpenCV 4.6 cannot infer an equal split without slice_point"))
    out.append(Case("slice_negative_axis", "Slice", {"data": x},
                    [L("slice", "Slice", "data", ["a", "b"], {"slice_param": {"axis": -2, "slice_point": 3}})],
                    ["a", "b"], ref=lambda i: dict(zip("ab", np.split(i["data"], [3], 2))),
                    note="axis -2 (= H), slice_point 3"))
    out.append(Case("slice_legacy_slice_dim", "Slice", {"data": x},
                    [L("slice", "Slice", "data", ["a", "b"], {"slice_param": {"slice_dim": 2, "slice_point": 1}})],
                    ["a", "b"], ref=lambda i: dict(zip("ab", np.split(i["data"], [1], 2))),
                    note="legacy slice_dim 2, slice_point 1",
                    known_issue="OpenCV 4.6 ignores slice_param.slice_dim and slices axis 1"))
    return out


# ---- shape layers --------------------------------------------------------------------
@case
def shape_cases():
    x = f32(rng_for("shape").normal(size=(1, 2, 3, 4)))
    return [
        single("Flatten", "flatten", x, "Flatten", {}, ref=lambda i: {"out": i["data"].reshape(1, -1)},
               note="default axis 1 -> [1,24]"),
        single("Flatten", "flatten_axis_end", x, "Flatten", {"flatten_param": {"axis": 1, "end_axis": 2}},
               ref=lambda i: {"out": i["data"].reshape(1, 6, 4)}, note="axis 1, end_axis 2 -> [1,6,4]"),
        single("Reshape", "reshape_zero_minus1", x, "Reshape",
               {"reshape_param": {"shape": {"dim": [0, -1, 2]}}}, ref=lambda i: {"out": i["data"].reshape(1, 12, 2)},
               note="dim 0 (copy), -1 (infer), 2 -> [1,12,2]"),
        single("Reshape", "reshape_axis_numaxes", x, "Reshape",
               {"reshape_param": {"shape": {"dim": [-1]}, "axis": 1, "num_axes": 2}},
               ref=lambda i: {"out": i["data"].reshape(1, 6, 4)},
               note="shape [-1] with axis 1, num_axes 2: merges C and H -> [1,6,4]"),
        single("Permute", "permute_nhwc", x, "Permute", {"permute_param": {"order": [0, 2, 3, 1]}},
               ref=lambda i: {"out": i["data"].transpose(0, 2, 3, 1)}, note="order 0 2 3 1 (NCHW -> NHWC)"),
        single("Permute", "permute_0312", x, "Permute", {"permute_param": {"order": [0, 3, 1, 2]}},
               ref=lambda i: {"out": i["data"].transpose(0, 3, 1, 2)}, note="order 0 3 1 2"),
        single("Softmax", "softmax_axis1", x, "Softmax", {}, ref=lambda i: {"out": ref_softmax(i["data"], 1)},
               note="default axis 1 on 4-D input (per pixel across channels)"),
        single("Softmax", "softmax_axis3", x, "Softmax", {"softmax_param": {"axis": 3}},
               ref=lambda i: {"out": ref_softmax(i["data"], 3)}, note="axis 3"),
        single("Softmax", "softmax_2d", f32(rng_for("softmax_2d").normal(0, 2, (2, 7))), "Softmax", {},
               ref=lambda i: {"out": ref_softmax(i["data"], 1)}, note="2-D input [2,7]"),
    ]


# ---- LRN / Normalize -----------------------------------------------------------------
@case
def lrn_cases():
    x = f32(rng_for("lrn").normal(0, 2.0, (1, 6, 5, 5)))
    return [
        single("LRN", "lrn_across", x, "LRN", {"lrn_param": {"local_size": 5, "alpha": 0.3, "beta": 0.6, "k": 1.0}},
               ref=lambda i: {"out": ref_lrn_across(i["data"].astype(np.float64), 5, 0.3, 0.6, 1.0)},
               note="ACROSS_CHANNELS, local_size 5, alpha 0.3, beta 0.6, k 1: x / (k + alpha/n * sum x^2)^beta"),
        single("LRN", "lrn_across_size3", x, "LRN", {"lrn_param": {"local_size": 3, "alpha": 1.0, "beta": 0.75}},
               ref=lambda i: {"out": ref_lrn_across(i["data"].astype(np.float64), 3, 1.0, 0.75, 1.0)},
               note="ACROSS_CHANNELS, local_size 3, alpha 1, beta 0.75 (k default 1)"),
        single("LRN", "lrn_across_k2", x, "LRN", {"lrn_param": {"local_size": 5, "alpha": 0.3, "beta": 0.75, "k": 2.0}},
               ref=lambda i: {"out": ref_lrn_across(i["data"].astype(np.float64), 5, 0.3, 0.75, 2.0)},
               note="k 2", known_issue="OpenCV 4.6 ignores lrn_param.k (it always uses 1)"),
        single("LRN", "lrn_across_default", x, "LRN", {}, ref=lambda i: {
            "out": ref_lrn_across(i["data"].astype(np.float64), 5, 1.0, 0.75, 1.0)}, note="no lrn_param",
            known_issue="without an explicit alpha OpenCV 4.6 uses alpha 1e-4 instead of Caffe's default 1"),
        single("LRN", "lrn_within", x, "LRN",
               {"lrn_param": {"norm_region": Enum("WITHIN_CHANNEL"), "local_size": 3, "alpha": 0.5, "beta": 0.75}},
               ref=lambda i: {"out": ref_lrn_within(i["data"].astype(np.float64), 3, 0.5, 0.75)},
               note="WITHIN_CHANNEL, local_size 3, alpha 0.5, beta 0.75"),
    ]


def _normalize_ref(x, scale, across, eps):
    x = x.astype(np.float64)
    if across:
        norm = np.sqrt((x ** 2).sum(axis=(1, 2, 3), keepdims=True) + eps)
    else:
        norm = np.sqrt((x ** 2).sum(axis=1, keepdims=True) + eps)
    return x / norm * scale


@case
def normalize_cases():
    r = rng_for("normalize")
    x = f32(r.normal(0, 1.0, (1, 4, 3, 3)))
    s = f32(r.uniform(5, 20, 4))
    small = f32(r.normal(0, 0.1, (1, 4, 3, 3)))
    return [
        single("Normalize", "normalize_per_pixel", x, "Normalize",
               {"norm_param": {"across_spatial": False, "channel_shared": False}}, [s],
               ref=lambda i: {"out": _normalize_ref(i["data"], s.reshape(1, 4, 1, 1), False, 1e-10)},
               note="SSD-style L2 normalisation over channels per pixel, per-channel scale blob [4]"),
        single("Normalize", "normalize_across_spatial", x, "Normalize",
               {"norm_param": {"across_spatial": True, "channel_shared": True}}, [f32([10.0])],
               ref=lambda i: {"out": _normalize_ref(i["data"], 10.0, True, 1e-10)},
               note="across_spatial true (one norm over C*H*W), channel_shared scale blob [1] = 10"),
        single("Normalize", "normalize_large_eps", small, "Normalize",
               {"norm_param": {"across_spatial": False, "channel_shared": True, "eps": 0.01}}, [f32([1.0])],
               ref=lambda i: {"out": _normalize_ref(i["data"], 1.0, False, 0.01)},
               note="eps 0.01 on small inputs so that where eps enters is visible; checks[] compares with "
                    "x / sqrt(sum x^2 + eps)"),
    ]


# ---- Crop / Interp / Upsample / ArgMax -----------------------------------------------
@case
def misc_cases():
    r = rng_for("crop")
    x, ref_blob = f32(r.normal(size=(1, 3, 8, 8))), f32(np.zeros((1, 3, 5, 4)))
    x2, ref2 = f32(r.normal(size=(1, 4, 6, 6))), f32(np.zeros((1, 2, 4, 3)))
    xi = f32(r.normal(size=(1, 2, 5, 5)))
    return [
        Case("crop_axis2", "Crop", {"data": x, "ref": ref_blob},
             [L("crop", "Crop", ["data", "ref"], "out", {"crop_param": {"axis": 2, "offset": [1, 3]}})], ["out"],
             ref=lambda i: {"out": i["data"][:, :, 1:6, 3:7]},
             note="crop H,W to the second bottom's 5x4 at offsets (1,3)"),
        Case("crop_axis1_single_offset", "Crop", {"data": x2, "ref": ref2},
             [L("crop", "Crop", ["data", "ref"], "out", {"crop_param": {"axis": 1, "offset": 1}})], ["out"],
             ref=lambda i: {"out": i["data"][:, 1:3, 1:5, 1:4]},
             note="axis 1 with one offset (1) applied to C, H and W"),
        single("Interp", "interp_zoom", xi, "Interp", {"interp_param": {"zoom_factor": 2}},
               note="PSPNet/DeepLab Interp with zoom_factor",
               known_issue="OpenCV 4.6's Caffe schema has no interp_param, so an Interp layer cannot carry "
                           "zoom_factor/height/width"),
        Case("interp_two_bottoms", "Interp", {"data": xi, "ref": f32(np.zeros((1, 1, 7, 9)))},
             [L("interp", "Interp", ["data", "ref"], "out")], ["out"], note="Interp sized by a second bottom",
             known_issue="OpenCV 4.6's Interp accepts one input only"),
        single("Upsample", "upsample", xi, "Upsample", {"upsample_param": {"scale": 2}}, note="SegNet-style Upsample",
               known_issue="OpenCV 4.6's Caffe schema has no upsample_param and no Caffe Upsample layer"),
        single("ArgMax", "argmax_axis1", xi, "ArgMax", {"argmax_param": {"top_k": 1, "axis": 1}}, note="ArgMax axis 1",
               known_issue="OpenCV 4.6 has no layer for the Caffe type ArgMax"),
    ]


# ---- PriorBox / DetectionOutput ------------------------------------------------------
PB_PARAMS = {"min_size": 6.0, "max_size": 12.0, "aspect_ratio": 2.0, "flip": True, "clip": True,
             "variance": [0.1, 0.1, 0.2, 0.2], "step": 4.0, "offset": 0.5}


@case
def detection_cases():
    out = []
    r = rng_for("priorbox")
    fm, img = f32(r.normal(size=(1, 2, 4, 4))), f32(r.normal(size=(1, 3, 16, 16)))
    out.append(Case("priorbox", "PriorBox", {"fm": fm, "data": img},
                    [L("prior", "PriorBox", ["fm", "data"], "out", {"prior_box_param": dict(PB_PARAMS)})], ["out"],
                    ref=lambda i: {"out": ref_priorbox(4, 4, 16, 16, [6.0], [12.0], [2.0], True, True,
                                                       [0.1, 0.1, 0.2, 0.2], 4.0, 0.5)},
                    note="min 6, max 12, aspect_ratio 2 + flip -> 4 priors per cell on a 4x4 map of a 16x16 image; "
                         "clip, 4 variances, step 4, offset 0.5"))
    out.append(Case("priorbox_no_step_two_min", "PriorBox", {"fm": f32(r.normal(size=(1, 2, 3, 5))), "data": img},
                    [L("prior", "PriorBox", ["fm", "data"], "out",
                       {"prior_box_param": {"min_size": [4.0, 8.0], "aspect_ratio": [2.0, 3.0], "flip": False,
                                            "clip": False, "variance": 0.1}})], ["out"],
                    ref=lambda i: {"out": ref_priorbox_multi(3, 5, 16, 16)},
                    note="two min_size (4, 8), no max_size, aspect ratios 2 and 3 without flip, no clip, one "
                         "variance, step derived from image/feature size (16/3, 16/5)"))

    # small SSD head
    r = rng_for("ssd_head")
    img = f32(r.normal(size=(1, 3, 16, 16)))
    wf, bf = f32(r.normal(0, 0.4, (8, 3, 3, 3))), f32(r.normal(0, 0.1, 8))
    npri, ncls = 4, 3
    wl, bl = f32(r.normal(0, 0.1, (npri * 4, 8, 3, 3))), f32(r.normal(0, 0.05, npri * 4))
    wc, bc = r.normal(0, 0.15, (npri * ncls, 8, 3, 3)), r.normal(0, 0.15, npri * ncls)
    bc[0::ncls] += 3.0  # favour the background class so that only some priors pass the threshold
    wc, bc = f32(wc), f32(bc)
    layers = [
        L("conv1", "Convolution", "data", "conv1", {"convolution_param": {"num_output": 8, "kernel_size": 3, "pad": 1,
                                                                        "stride": 4}}, [wf, bf]),
        L("relu1", "ReLU", "conv1", "conv1"),
        L("loc", "Convolution", "conv1", "loc", {"convolution_param": {"num_output": npri * 4, "kernel_size": 3,
                                                                     "pad": 1}}, [wl, bl]),
        L("loc_perm", "Permute", "loc", "loc_perm", {"permute_param": {"order": [0, 2, 3, 1]}}),
        L("loc_flat", "Flatten", "loc_perm", "loc_flat", {"flatten_param": {"axis": 1}}),
        L("conf", "Convolution", "conv1", "conf", {"convolution_param": {"num_output": npri * ncls, "kernel_size": 3,
                                                                       "pad": 1}}, [wc, bc]),
        L("conf_perm", "Permute", "conf", "conf_perm", {"permute_param": {"order": [0, 2, 3, 1]}}),
        L("conf_flat", "Flatten", "conf_perm", "conf_flat", {"flatten_param": {"axis": 1}}),
        L("prior", "PriorBox", ["conv1", "data"], "prior", {"prior_box_param": dict(PB_PARAMS)}),
        L("conf_reshape", "Reshape", "conf_flat", "conf_reshape", {"reshape_param": {"shape": {"dim": [0, -1, ncls]}}}),
        L("conf_softmax", "Softmax", "conf_reshape", "conf_softmax", {"softmax_param": {"axis": 2}}),
        L("conf_sm_flat", "Flatten", "conf_softmax", "conf_sm_flat", {"flatten_param": {"axis": 1}}),
    ]
    for name, thr, keep in (("detection_output", 0.5, 20), ("detection_output_keep_top_k", 0.3, 5),
                            ("detection_output_nothing_kept", 0.9999, 10)):
        det = L("detection_out", "DetectionOutput", ["loc_flat", "conf_sm_flat", "prior"], "detection_out",
                {"detection_output_param": {"num_classes": ncls, "share_location": True, "background_label_id": 0,
                                            "nms_param": {"nms_threshold": 0.45, "top_k": 100},
                                            "code_type": Enum("CENTER_SIZE"), "keep_top_k": keep,
                                            "confidence_threshold": thr}})
        out.append(Case(name, "DetectionOutput", {"data": img}, layers + [det],
                        ["loc_flat", "conf_sm_flat", "prior", "detection_out"],
                        ref=_ssd_ref(wf, bf, wl, bl, wc, bc, ncls, True, keep, thr),
                        note="SSD head: conv1(3x3 s4)+ReLU -> 4x4x8; loc/conf 3x3 convs -> Permute -> Flatten; conf -> "
                             "Reshape [0,-1,3] -> Softmax axis 2 -> Flatten; PriorBox(conv1, data); DetectionOutput "
                             "3 classes, background 0, share_location, nms 0.45 top_k 100, keep_top_k %d, "
                             "confidence_threshold %g, CENTER_SIZE. Output [1,1,keep_top_k,7] rows = image_id, label, "
                             "score, xmin, ymin, xmax, ymax" % (keep, thr)))

    # share_location false: one box per prior and class (loc has num_priors * num_classes * 4 channels)
    wl2 = f32(r.normal(0, 0.1, (npri * ncls * 4, 8, 3, 3)))
    bl2 = f32(r.normal(0, 0.05, npri * ncls * 4))
    layers2 = [l if l.name != "loc" else
               L("loc", "Convolution", "conv1", "loc", {"convolution_param": {"num_output": npri * ncls * 4,
                                                                            "kernel_size": 3, "pad": 1}}, [wl2, bl2])
               for l in layers]
    det = L("detection_out", "DetectionOutput", ["loc_flat", "conf_sm_flat", "prior"], "detection_out",
            {"detection_output_param": {"num_classes": ncls, "share_location": False, "background_label_id": 0,
                                        "nms_param": {"nms_threshold": 0.45, "top_k": 100},
                                        "code_type": Enum("CENTER_SIZE"), "keep_top_k": 20,
                                        "confidence_threshold": 0.5}})
    out.append(Case("detection_output_unshared_loc", "DetectionOutput", {"data": img}, layers2 + [det],
                    ["loc_flat", "conf_sm_flat", "prior", "detection_out"],
                    ref=_ssd_ref(wf, bf, wl2, bl2, wc, bc, ncls, False, 20, 0.5),
                    note="as detection_output but share_location false: loc conv has 4*3*4 = 48 channels, "
                         "flattened per prior as [class][4]; the background class's boxes are present but unused"))
    return out


def _ssd_ref(wf, bf, wl, bl, wc, bc, ncls, share, keep, thr):
    def ref(i):
        f = np.maximum(ref_conv(i["data"], wf, bf, (4, 4), (1, 1), (1, 1), 1), 0)
        loc = ref_conv(f, wl, bl, (1, 1), (1, 1), (1, 1), 1).transpose(0, 2, 3, 1).reshape(1, -1)
        conf = ref_conv(f, wc, bc, (1, 1), (1, 1), (1, 1), 1).transpose(0, 2, 3, 1).reshape(1, -1, ncls)
        conf = ref_softmax(conf, 2).reshape(1, -1)
        prior = ref_priorbox(f.shape[2], f.shape[3], 16, 16, [6.0], [12.0], [2.0], True, True,
                             [0.1, 0.1, 0.2, 0.2], 4.0, 0.5)
        return {"loc_flat": loc, "conf_sm_flat": conf, "prior": prior,
                "detection_out": ref_detection_output(loc, conf, prior, ncls, share, 0, 0.45, 100, keep, thr)}
    return ref


def _iou(a, b):
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    area = lambda r: max(r[2] - r[0], 0) * max(r[3] - r[1], 0)
    return inter / (area(a) + area(b) - inter)


def ref_detection_output(loc, conf, prior, ncls, share, bg, nms_thr, top_k, keep_top_k, thr):
    """Caffe SSD DetectionOutput (CENTER_SIZE, variances from the priors). Rows are sorted by score
    (the order OpenCV uses) and padded with zero rows to keep_top_k like OpenCV's output."""
    pri = prior[0, 0].reshape(-1, 4)
    var = prior[0, 1].reshape(-1, 4)
    n = pri.shape[0]
    loc = loc.reshape(n, 1 if share else ncls, 4)
    conf = conf.reshape(n, ncls)
    pw, ph = pri[:, 2] - pri[:, 0], pri[:, 3] - pri[:, 1]
    pcx, pcy = (pri[:, 0] + pri[:, 2]) / 2, (pri[:, 1] + pri[:, 3]) / 2
    dets = []
    for c in range(ncls):
        if c == bg:
            continue
        l = loc[:, 0 if share else c]
        cx, cy = var[:, 0] * l[:, 0] * pw + pcx, var[:, 1] * l[:, 1] * ph + pcy
        w, h = np.exp(var[:, 2] * l[:, 2]) * pw, np.exp(var[:, 3] * l[:, 3]) * ph
        boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 1)
        cand = [i for i in np.argsort(-conf[:, c], kind="stable") if conf[i, c] > thr][:top_k]
        kept = []
        for i in cand:
            if all(_iou(boxes[i], boxes[k]) <= nms_thr for k in kept):
                kept.append(i)
        dets.extend([0, c, conf[i, c]] + list(boxes[i]) for i in kept)
    dets.sort(key=lambda d: -d[2])
    dets = dets[:keep_top_k]
    out = np.zeros((1, 1, keep_top_k, 7))
    if dets:
        out[0, 0, :len(dets)] = np.array(dets)
    return out


def ref_priorbox_multi(fh, fw, ih, iw):
    # Caffe order per cell: for each min_size: square min box, then aspect-ratio boxes
    ar_list = [1.0, 2.0, 3.0]
    boxes = []
    for y in range(fh):
        for x in range(fw):
            cx, cy = (x + 0.5) * iw / fw, (y + 0.5) * ih / fh
            for ms in (4.0, 8.0):
                for ar in ar_list:
                    bw, bh = ms * math.sqrt(ar), ms / math.sqrt(ar)
                    boxes.append([(cx - bw / 2) / iw, (cy - bh / 2) / ih, (cx + bw / 2) / iw, (cy + bh / 2) / ih])
    boxes = np.array(boxes).ravel()
    return np.stack([boxes, np.full_like(boxes, 0.1)])[None]


# ---- whole nets in the legacy V1 form ------------------------------------------------
@case
def v1_cases():
    out = []
    r = rng_for("v1_lenet")
    x = f32(r.uniform(0, 1, (1, 1, 16, 16)))
    w1, b1 = f32(r.normal(0, 0.3, (4, 1, 5, 5))), f32(r.normal(0, 0.1, 4))
    w2, b2 = f32(r.normal(0, 0.2, (6, 4, 3, 3))), f32(r.normal(0, 0.1, 6))
    w3, b3 = f32(r.normal(0, 0.2, (10, 24))), f32(r.normal(0, 0.1, 10))
    w4, b4 = f32(r.normal(0, 0.4, (5, 10))), f32(r.normal(0, 0.1, 5))

    def lenet_ref(i):
        y = ref_conv(i["data"], w1, b1, (1, 1), (0, 0), (1, 1), 1)
        y = ref_pool(y, (2, 2), (2, 2), (0, 0), "MAX")
        y = ref_conv(y, w2, b2, (1, 1), (0, 0), (1, 1), 1)
        y = ref_pool(y, (2, 2), (2, 2), (0, 0), "MAX")
        y = np.maximum(y.reshape(1, -1) @ w3.T + b3, 0)
        return {"prob": ref_softmax(y @ w4.T + b4, 1)}

    out.append(Case("v1_lenet", "V1 net", {"data": x}, [
        L("conv1", "CONVOLUTION", "data", "conv1", {"convolution_param": {"num_output": 4, "kernel_size": 5}}, [w1, b1]),
        L("pool1", "POOLING", "conv1", "pool1", {"pooling_param": {"pool": Enum("MAX"), "kernel_size": 2, "stride": 2}}),
        L("conv2", "CONVOLUTION", "pool1", "conv2", {"convolution_param": {"num_output": 6, "kernel_size": 3}}, [w2, b2]),
        L("pool2", "POOLING", "conv2", "pool2", {"pooling_param": {"pool": Enum("MAX"), "kernel_size": 2, "stride": 2}}),
        L("ip1", "INNER_PRODUCT", "pool2", "ip1", {"inner_product_param": {"num_output": 10}}, [w3, b3]),
        L("relu1", "RELU", "ip1", "ip1"),
        L("ip2", "INNER_PRODUCT", "ip1", "ip2", {"inner_product_param": {"num_output": 5}}, [w4, b4]),
        L("prob", "SOFTMAX", "ip2", "prob"),
    ], ["prob"], fmt="v1", input_style="input_dim", ref=lenet_ref,
        note="LeNet-like V1 net (layers { type: ENUM }, input + 4 input_dim); caffemodel uses V1LayerParameter "
             "and legacy num/channels/height/width blob dims (InnerProduct weights stored as 1x1xNxK)"))

    r = rng_for("v1_cifar")
    x = f32(r.normal(0, 1, (1, 3, 12, 12)))
    cw1, cb1 = f32(r.normal(0, 0.3, (6, 3, 3, 3))), f32(r.normal(0, 0.1, 6))
    cw2, cb2 = f32(r.normal(0, 0.2, (8, 6, 3, 3))), f32(r.normal(0, 0.1, 8))
    cw3, cb3 = f32(r.normal(0, 0.2, (4, 8 * 3 * 3))), f32(r.normal(0, 0.1, 4))

    def cifar_ref(i):
        y = ref_conv(i["data"], cw1, cb1, (1, 1), (1, 1), (1, 1), 1)
        y = ref_pool(y, (3, 3), (2, 2), (0, 0), "MAX")
        y = np.maximum(y, 0)
        y = ref_lrn_within(y, 3, 5e-2, 0.75)
        y = np.maximum(ref_conv(y, cw2, cb2, (1, 1), (1, 1), (1, 1), 1), 0)
        y = ref_pool(y, (3, 3), (2, 2), (0, 0), "AVE")
        y = ref_lrn_across(y, 3, 5e-2, 0.75, 1.0)
        return {"prob": ref_softmax(y.reshape(1, -1) @ cw3.T + cb3, 1)}

    out.append(Case("v1_cifar_lrn", "V1 net", {"data": x}, [
        L("conv1", "CONVOLUTION", "data", "conv1", {"convolution_param": {"num_output": 6, "kernel_size": 3, "pad": 1}},
          [cw1, cb1]),
        L("pool1", "POOLING", "conv1", "pool1", {"pooling_param": {"pool": Enum("MAX"), "kernel_size": 3, "stride": 2}}),
        L("relu1", "RELU", "pool1", "pool1"),
        L("norm1", "LRN", "pool1", "norm1", {"lrn_param": {"local_size": 3, "alpha": 5e-2, "beta": 0.75,
                                                          "norm_region": Enum("WITHIN_CHANNEL")}}),
        L("conv2", "CONVOLUTION", "norm1", "conv2", {"convolution_param": {"num_output": 8, "kernel_size": 3, "pad": 1}},
          [cw2, cb2]),
        L("relu2", "RELU", "conv2", "conv2"),
        L("pool2", "POOLING", "conv2", "pool2", {"pooling_param": {"pool": Enum("AVE"), "kernel_size": 3, "stride": 2}}),
        L("norm2", "LRN", "pool2", "norm2", {"lrn_param": {"local_size": 3, "alpha": 5e-2, "beta": 0.75}}),
        L("ip1", "INNER_PRODUCT", "norm2", "ip1", {"inner_product_param": {"num_output": 4}}, [cw3, cb3]),
        L("prob", "SOFTMAX", "ip1", "prob"),
    ], ["prob"], fmt="v1", input_style="input_dim", ref=cifar_ref,
        note="CIFAR-10-quick-like V1 net with LRN WITHIN_CHANNEL and ACROSS_CHANNELS, MAX and AVE pooling "
             "(12x12 -> 6x6 -> 3x3 with ceil rounding)"))

    r = rng_for("v1_misc")
    x = f32(r.normal(0, 1, (1, 4, 6, 6)))
    mw1, mb1 = f32(r.normal(0, 0.3, (4, 4, 3, 3))), f32(r.normal(0, 0.1, 4))
    out.append(Case("v1_branches", "V1 net", {"data": x}, [
        L("conv1", "CONVOLUTION", "data", "conv1", {"convolution_param": {"num_output": 4, "kernel_size": 3, "pad": 1}},
          [mw1, mb1]),
        L("split", "SPLIT", "conv1", ["c_a", "c_b"]),
        L("sig", "SIGMOID", "c_a", "sig"),
        L("th", "TANH", "c_b", "th"),
        L("prod", "ELTWISE", ["sig", "th"], "prod", {"eltwise_param": {"operation": Enum("PROD")}}),
        L("slice", "SLICE", "prod", ["s1", "s2"], {"slice_param": {"slice_point": 1}}),
        L("cat", "CONCAT", ["s2", "s1"], "cat"),
        L("abs", "ABSVAL", "cat", "abs"),
        L("pw", "POWER", "abs", "pw", {"power_param": {"power": 2.0, "scale": 1.5, "shift": 0.5}}),
        L("flat", "FLATTEN", "pw", "flat"),
    ], ["flat"], fmt="v1", input_style="input_dim",
        ref=lambda i: _v1_branches_ref(i, mw1, mb1),
        note="V1 enum types SPLIT, SIGMOID, TANH, ELTWISE(PROD), SLICE, CONCAT, ABSVAL, POWER, FLATTEN"))
    return out


def _v1_branches_ref(i, w1, b1):
    c = ref_conv(i["data"], w1, b1, (1, 1), (1, 1), (1, 1), 1)
    p = 1 / (1 + np.exp(-c)) * np.tanh(c)
    cat = np.concatenate([p[:, 1:], p[:, :1]], 1)
    return {"flat": ((0.5 + 1.5 * np.abs(cat)) ** 2).reshape(1, -1)}


# ---- whole networks shaped like published deploy files ---------------------------------
V1_OF = {"Convolution": "CONVOLUTION", "ReLU": "RELU", "Pooling": "POOLING", "Eltwise": "ELTWISE",
         "Concat": "CONCAT", "InnerProduct": "INNER_PRODUCT", "Softmax": "SOFTMAX", "Dropout": "DROPOUT"}
BN_PARAMS = {"param": [{"lr_mult": 0.0, "decay_mult": 0.0}] * 3}  # as in the published files: stats not learned


class NetBuilder:
    """Builds a whole net layer by layer while running Caffe's formulas in NumPy (float64) on the
    case's input. Running eagerly lets BatchNorm statistics be taken from the actual activations
    (mean and variance of the channel, perturbed a little), which keeps a deep random net
    well-conditioned, and yields the reference values of every blob. `blobs` holds each blob's
    final value (after in-place layers)."""

    def __init__(self, name, inputs, fmt="v2"):
        self.r = rng_for(name)
        self.fmt = fmt
        self.layers = []
        self.blobs = {k: np.asarray(v, np.float64) for k, v in inputs.items()}

    def add(self, name, type_, bottom, top, params, blobs, value):
        if self.fmt == "v1":
            type_ = V1_OF[type_]
        self.layers.append(L(name, type_, bottom, top, params, blobs))
        self.blobs[top] = value

    def conv(self, name, bottom, cout, k, s=1, p=0, group=1, bias=True, top=None, gain=1.0, extra=None,
             params=None):
        x = self.blobs[bottom]
        cin = x.shape[1]
        w = f32(self.r.normal(0, gain / math.sqrt(cin // group * k * k), (cout, cin // group, k, k)))
        b = f32(self.r.normal(0, 0.1, cout)) if bias else None
        cp = {"num_output": cout}
        if not bias:
            cp["bias_term"] = False
        if p:
            cp["pad"] = p
        cp["kernel_size"] = k
        if s != 1:
            cp["stride"] = s
        if group != 1:
            cp["group"] = group
        cp.update(extra or {})
        fields = dict(params or {})
        fields["convolution_param"] = cp
        self.add(name, "Convolution", bottom, top or name, fields, [w] + ([b] if bias else []),
                 ref_conv(x, w, b, (s, s), (p, p), (1, 1), group))

    def bn(self, name, bottom, top=None, factor=1.0):
        x = self.blobs[bottom]
        mu, sd = x.mean(axis=(0, 2, 3)), x.std(axis=(0, 2, 3))
        mean = mu + self.r.normal(0, 0.1, mu.shape) * sd
        var = sd ** 2 * self.r.uniform(0.7, 1.4, sd.shape) + 1e-3
        blobs = [f32(mean * factor), f32(var * factor), f32([factor])]
        m, v = blobs[0].astype(np.float64) / factor, blobs[1].astype(np.float64) / factor
        self.add(name, "BatchNorm", bottom, top or bottom, dict(BN_PARAMS), blobs, _bn_ref(x, m, v, 1e-5))

    def scale(self, name, bottom, params=None):
        x = self.blobs[bottom]
        c = x.shape[1]
        g, b = f32(self.r.normal(1, 0.2, c)), f32(self.r.normal(0, 0.2, c))
        fields = dict(params or {})
        fields["scale_param"] = {"bias_term": True}
        self.add(name, "Scale", bottom, bottom, fields, [g, b], x * g.reshape(1, c, 1, 1) + b.reshape(1, c, 1, 1))

    def relu(self, name, bottom):
        self.add(name, "ReLU", bottom, bottom, {}, [], np.maximum(self.blobs[bottom], 0))

    def prelu(self, name, bottom):
        x = self.blobs[bottom]
        a = f32(self.r.uniform(0.05, 0.4, x.shape[1]))
        self.add(name, "PReLU", bottom, bottom, {}, [a],
                 np.where(x > 0, x, x * a.reshape((1, -1) + (1,) * (x.ndim - 2))))

    def pool(self, name, bottom, top, mode, k, s, p=0):
        pp = {"pool": Enum(mode), "kernel_size": k, "stride": s}
        if p:
            pp["pad"] = p
        self.add(name, "Pooling", bottom, top, {"pooling_param": pp}, [],
                 ref_pool(self.blobs[bottom], (k, k), (s, s), (p, p), mode))

    def eltwise_sum(self, name, bottoms, top, coeff=None):
        params = {"eltwise_param": {"operation": Enum("SUM"), "coeff": coeff}} if coeff else {}
        coeff = coeff or [1.0] * len(bottoms)
        self.add(name, "Eltwise", bottoms, top, params, [], sum(c * self.blobs[b] for c, b in zip(coeff, bottoms)))

    def concat(self, name, bottoms, top, axis=1):
        self.add(name, "Concat", bottoms, top, {"concat_param": {"axis": axis}} if axis != 1 or self.fmt == "v2" else {},
                 [], np.concatenate([self.blobs[b] for b in bottoms], axis))

    def ip(self, name, bottom, nout, top=None, gain=1.0):
        x = self.blobs[bottom].reshape(self.blobs[bottom].shape[0], -1)
        w = f32(self.r.normal(0, gain / math.sqrt(x.shape[1]), (nout, x.shape[1])))
        b = f32(self.r.normal(0, 0.1, nout))
        self.add(name, "InnerProduct", bottom, top or name, {"inner_product_param": {"num_output": nout}}, [w, b],
                 x @ w.T.astype(np.float64) + b)

    def dropout(self, name, bottom, ratio):
        self.add(name, "Dropout", bottom, bottom, {"dropout_param": {"dropout_ratio": ratio}}, [], self.blobs[bottom])

    def softmax(self, name, bottom, top, axis=None):
        self.add(name, "Softmax", bottom, top, {"softmax_param": {"axis": axis}} if axis is not None else {}, [],
                 ref_softmax(self.blobs[bottom], 1 if axis is None else axis))

    def normalize(self, name, bottom, top):
        x = self.blobs[bottom]
        s = f32(self.r.uniform(8, 12, x.shape[1]))  # learned from scale_filler's constant 10
        self.add(name, "Normalize", bottom, top,
                 {"norm_param": {"across_spatial": False, "scale_filler": {"type": "constant", "value": 10.0},
                                 "channel_shared": False}}, [s],
                 _normalize_ref(x, s.reshape(1, -1, 1, 1), False, 1e-10))

    def mbox_head(self, fm, npri, ncls, k, gain_conf=1.5, bg_bias=2.0):
        """SSD head of one feature map: <fm>_mbox_loc / _conf convs (k x k) -> Permute -> Flatten."""
        for kind, n in (("loc", npri * 4), ("conf", npri * ncls)):
            name = "%s_mbox_%s" % (fm, kind)
            self.conv(name, fm, n, k, p=k // 2, gain=gain_conf if kind == "conf" else 1.0)
            if kind == "conf":  # favour the background class, as a trained detector does
                w, b = self.layers[-1].blobs
                b = b.copy()
                b[0::ncls] += bg_bias
                self.layers[-1].blobs[1] = f32(b)
                self.blobs[name] = self.blobs[name] + np.where(np.arange(n) % ncls == 0, bg_bias, 0.0).reshape(1, n, 1, 1)
            self.add(name + "_perm", "Permute", name, name + "_perm", {"permute_param": {"order": [0, 2, 3, 1]}}, [],
                     self.blobs[name].transpose(0, 2, 3, 1))
            self.add(name + "_flat", "Flatten", name + "_perm", name + "_flat", {"flatten_param": {"axis": 1}}, [],
                     self.blobs[name + "_perm"].reshape(1, -1))

    def priorbox(self, fm, img, pp):
        _, _, fh, fw = self.blobs[fm].shape
        _, _, ih, iw = self.blobs[img].shape
        ms = pp["min_size"] if isinstance(pp["min_size"], list) else [pp["min_size"]]
        mx = pp.get("max_size", [])
        mx = mx if isinstance(mx, list) else [mx]
        ar = pp.get("aspect_ratio", [])
        ar = ar if isinstance(ar, list) else [ar]
        name = fm + "_mbox_priorbox"
        self.add(name, "PriorBox", [fm, img], name, {"prior_box_param": pp}, [],
                 ref_priorbox(fh, fw, ih, iw, ms, mx, ar, pp.get("flip", True), pp.get("clip", False),
                              pp["variance"], pp.get("step"), pp.get("offset", 0.5)))

    def ssd_tail(self, fms, ncls, det_params, include_test=False):
        """mbox_loc / mbox_conf / mbox_priorbox Concats, conf Reshape -> Softmax -> Flatten, DetectionOutput."""
        self.concat("mbox_loc", [f + "_mbox_loc_flat" for f in fms], "mbox_loc", 1)
        self.concat("mbox_conf", [f + "_mbox_conf_flat" for f in fms], "mbox_conf", 1)
        self.concat("mbox_priorbox", [f + "_mbox_priorbox" for f in fms], "mbox_priorbox", 2)
        self.add("mbox_conf_reshape", "Reshape", "mbox_conf", "mbox_conf_reshape",
                 {"reshape_param": {"shape": {"dim": [0, -1, ncls]}}}, [], self.blobs["mbox_conf"].reshape(1, -1, ncls))
        self.softmax("mbox_conf_softmax", "mbox_conf_reshape", "mbox_conf_softmax", 2)
        self.add("mbox_conf_flatten", "Flatten", "mbox_conf_softmax", "mbox_conf_flatten",
                 {"flatten_param": {"axis": 1}}, [], self.blobs["mbox_conf_softmax"].reshape(1, -1))
        dp = {"num_classes": ncls, "share_location": True, "background_label_id": 0,
              "nms_param": {"nms_threshold": 0.45, "top_k": det_params["top_k"]}, "code_type": Enum("CENTER_SIZE"),
              "keep_top_k": det_params["keep_top_k"], "confidence_threshold": det_params["confidence_threshold"]}
        fields = {"include": {"phase": Enum("TEST")}} if include_test else {}
        fields["detection_output_param"] = dp
        args = (self.blobs["mbox_loc"], self.blobs["mbox_conf_flatten"], self.blobs["mbox_priorbox"], ncls)
        tail = (0.45, det_params["top_k"], det_params["keep_top_k"], det_params["confidence_threshold"])
        out = ref_detection_output(*args, True, 0, *tail)
        margins = detection_margins(*args, *tail)
        kept = int((out[0, 0, :, 2] > 0).sum())
        uncut = ref_detection_output(*args, True, 0, *tail[:2], 10 ** 6, tail[3])
        after_nms = int((uncut[0, 0, :, 2] > 0).sum())
        candidates = int((self.blobs["mbox_conf_flatten"].reshape(-1, ncls)[:, 1:] > tail[3]).sum())
        # golden rows are only meaningful if float32 rounding cannot flip a decision of the layer
        if os.environ.get("KILN_GOLDEN_TUNE"):
            sc = np.sort(self.blobs["mbox_conf_flatten"].reshape(-1, ncls)[:, 1:].ravel())[::-1]
            print("TUNE", kept, margins, np.round(sc[:30], 4))
        else:
            assert kept >= 3 and min(margins.values()) > 1e-3, (kept, margins)
        self.add("detection_out", "DetectionOutput", ["mbox_loc", "mbox_conf_flatten", "mbox_priorbox"],
                 "detection_out", fields, [], out)
        return "%d scores above the threshold, %d left after NMS, %d detections after the keep_top_k cut" % (
            candidates, after_nms, kept)

    def case(self, name, layer_type, inputs, outputs, note, input_style):
        values = {b: self.blobs[b] for b in outputs}
        return Case(name, layer_type, inputs, self.layers, outputs, note=note, fmt=self.fmt,
                    input_style=input_style, ref=lambda i, v=values: dict(v))


def detection_margins(loc, conf, prior, ncls, nms_thr, top_k, keep_top_k, thr):
    """How far DetectionOutput's decisions are from flipping: scores from the confidence threshold,
    IoUs of same-class candidates from the NMS threshold, and the score gaps at the top_k and
    keep_top_k cuts (inf where no cut happens)."""
    pri, var = prior[0, 0].reshape(-1, 4), prior[0, 1].reshape(-1, 4)
    l = loc.reshape(-1, 4)
    pw, ph = pri[:, 2] - pri[:, 0], pri[:, 3] - pri[:, 1]
    cx, cy = var[:, 0] * l[:, 0] * pw + (pri[:, 0] + pri[:, 2]) / 2, var[:, 1] * l[:, 1] * ph + (pri[:, 1] + pri[:, 3]) / 2
    w, h = np.exp(var[:, 2] * l[:, 2]) * pw, np.exp(var[:, 3] * l[:, 3]) * ph
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 1)
    conf = conf.reshape(-1, ncls)
    m = {"score_vs_threshold": float(np.abs(conf[:, 1:] - thr).min()), "iou_vs_nms": math.inf,
         "top_k_cut": math.inf, "keep_top_k_cut": math.inf}
    kept_scores = []
    for c in range(1, ncls):
        cand = sorted((i for i in range(len(conf)) if conf[i, c] > thr), key=lambda i: -conf[i, c])
        if len(cand) > top_k:
            m["top_k_cut"] = min(m["top_k_cut"], conf[cand[top_k - 1], c] - conf[cand[top_k], c])
        cand = cand[:top_k]
        for a in range(len(cand)):
            for b in range(a):
                m["iou_vs_nms"] = min(m["iou_vs_nms"], abs(_iou(boxes[cand[a]], boxes[cand[b]]) - nms_thr))
        kept = []
        for i in cand:
            if all(_iou(boxes[i], boxes[k]) <= nms_thr for k in kept):
                kept.append(i)
        kept_scores += [conf[i, c] for i in kept]
    kept_scores.sort(reverse=True)
    if len(kept_scores) > keep_top_k:
        m["keep_top_k_cut"] = kept_scores[keep_top_k - 1] - kept_scores[keep_top_k]
    return m


@case
def whole_net_cases():
    return [_mobilenet_ssd_mini(), _res10_face_mini(), _mtcnn_pnet_mini(), _mtcnn_onet_mini(), _v1_mix()]


def _mobilenet_ssd_mini():
    name = "net_mobilenet_ssd_mini"
    x = f32(rng_for(name + "/input").uniform(-1, 1, (1, 3, 60, 60)))
    nb = NetBuilder(name, {"data": x})
    conv_p = {"param": [{"lr_mult": 1.0, "decay_mult": 1.0}]}
    scale_p = {"param": [{"lr_mult": 0.1, "decay_mult": 0.0}, {"lr_mult": 0.2, "decay_mult": 0.0}]}
    fill = {"weight_filler": {"type": "msra"}}

    def block(n, bottom, cout, k, s, group=1):
        extra = dict(fill)
        if group > 1:
            extra["engine"] = Enum("CAFFE")  # the published file sets it on the depthwise convs
        nb.conv(n, bottom, cout, k, s, p=k // 2, group=group, bias=False, extra=extra, params=conv_p)
        nb.bn(n + "/bn", n)
        nb.scale(n + "/scale", n, scale_p)
        nb.relu(n + "/relu", n)

    block("conv0", "data", 8, 3, 2)            # 30x30
    prev = "conv0"
    for i, (cout, s) in enumerate([(16, 1), (16, 2), (24, 2), (32, 2)], 1):
        c = nb.blobs[prev].shape[1]
        block("conv%d/dw" % i, prev, c, 3, s, group=c)
        block("conv%d" % i, "conv%d/dw" % i, cout, 1, 1)
        prev = "conv%d" % i                     # conv3: 8x8, conv4: 4x4
    cp = {"param": [{"lr_mult": 1.0, "decay_mult": 1.0}, {"lr_mult": 2.0, "decay_mult": 0.0}]}
    bias_fill = {"weight_filler": {"type": "msra"}, "bias_filler": {"type": "constant", "value": 0.0}}
    nb.conv("conv5_1", "conv4", 16, 1, gain=math.sqrt(2), extra=bias_fill, params=cp)
    nb.relu("conv5_1/relu", "conv5_1")
    nb.conv("conv5_2", "conv5_1", 24, 3, s=2, p=1, gain=math.sqrt(2), extra=bias_fill, params=cp)   # 2x2
    nb.relu("conv5_2/relu", "conv5_2")
    ncls = 4
    var = [0.1, 0.1, 0.2, 0.2]
    pbs = {"conv3": (3, {"min_size": 12.0, "aspect_ratio": 2.0, "flip": True, "clip": False, "variance": var,
                         "step": 8.0, "offset": 0.5}),
           "conv4": (6, {"min_size": 24.0, "max_size": 36.0, "aspect_ratio": [2.0, 3.0], "flip": True, "clip": False,
                         "variance": var, "offset": 0.5}),
           "conv5_2": (6, {"min_size": 36.0, "max_size": 50.0, "aspect_ratio": [2.0, 3.0], "flip": True,
                           "clip": False, "variance": var, "offset": 0.5})}
    for fm, (npri, pp) in pbs.items():
        nb.mbox_head(fm, npri, ncls, 1)
        nb.priorbox(fm, "data", pp)
    kept = nb.ssd_tail(list(pbs), ncls, {"top_k": 100, "keep_top_k": 20, "confidence_threshold": 0.525})
    return nb.case(name, "whole net (MobileNet-SSD)", {"data": x},
                   ["conv1", "conv3", "conv5_2", "mbox_loc", "mbox_conf_flatten", "mbox_priorbox", "detection_out"],
                   "MobileNet-SSD deploy structure on a 60x60 input (Input layer): conv + BatchNorm (param lr_mult 0 "
                   "x3) + Scale(bias) + ReLU in place, depthwise 3x3 convs (group = channels, engine CAFFE) + "
                   "pointwise 1x1, extra conv5_1/conv5_2 with bias; heads on conv3 (8x8, 3 priors, step 8 where "
                   "60/8 would give 7.5), conv4 (4x4, 6 priors, aspect ratios 2 and 3, min/max size) and conv5_2 "
                   "(2x2, 6 priors); Concat axis 1 / axis 2, conf Reshape [0,-1,4] -> Softmax axis 2 -> Flatten, "
                   "DetectionOutput 4 classes, keep_top_k 20, threshold 0.525: %s" % kept, "layer")


def _res10_face_mini():
    name = "net_res10_face_mini"
    x = f32(rng_for(name + "/input").uniform(-120, 130, (1, 3, 48, 48)))  # BGR minus (104, 177, 123)
    nb = NetBuilder(name, {"data": x})
    sp = {"param": [{"lr_mult": 1.0, "decay_mult": 1.0}, {"lr_mult": 2.0, "decay_mult": 1.0}]}

    def bsr(bn, sc, relu, blob, top=None):
        nb.bn(bn, blob, top)
        nb.scale(sc, top or blob, sp)
        nb.relu(relu, top or blob)

    nb.bn("data_bn", "data", "data_bn")
    nb.scale("data_scale", "data_bn", sp)
    nb.conv("conv1_h", "data_bn", 8, 7, s=2, p=3, extra={"weight_filler": {"type": "msra", "variance_norm": Enum("FAN_OUT")},
                                                      "bias_filler": {"type": "constant", "value": 0.0}})
    bsr("conv1_bn_h", "conv1_scale_h", "conv1_relu", "conv1_h")          # 24x24
    nb.pool("conv1_pool", "conv1_h", "conv1_pool", "MAX", 3, 2)           # ceil: 12x12
    nb.conv("layer_64_1_conv1_h", "conv1_pool", 8, 3, p=1, bias=False)
    bsr("layer_64_1_bn2_h", "layer_64_1_scale2_h", "layer_64_1_relu2", "layer_64_1_conv1_h")
    nb.conv("layer_64_1_conv2_h", "layer_64_1_conv1_h", 8, 3, p=1, bias=False)
    nb.eltwise_sum("layer_64_1_sum", ["layer_64_1_conv2_h", "conv1_pool"], "layer_64_1_sum")
    bsr("layer_128_1_bn1_h", "layer_128_1_scale1_h", "layer_128_1_relu1", "layer_64_1_sum", "layer_128_1_bn1_h")
    nb.conv("layer_128_1_conv1_h", "layer_128_1_bn1_h", 16, 3, s=2, p=1, bias=False)    # 6x6
    bsr("layer_128_1_bn2", "layer_128_1_scale2", "layer_128_1_relu2", "layer_128_1_conv1_h")
    nb.conv("layer_128_1_conv2", "layer_128_1_conv1_h", 16, 3, p=1, bias=False)
    nb.conv("layer_128_1_conv_expand_h", "layer_128_1_bn1_h", 16, 1, s=2, bias=False)
    nb.eltwise_sum("layer_128_1_sum", ["layer_128_1_conv2", "layer_128_1_conv_expand_h"], "layer_128_1_sum")
    bsr("layer_256_1_bn1", "layer_256_1_scale1", "layer_256_1_relu1", "layer_128_1_sum", "layer_256_1_bn1")
    nb.normalize("conv4_3_norm", "layer_256_1_bn1", "conv4_3_norm")
    nb.conv("layer_512_1_conv1_h", "layer_256_1_bn1", 24, 3, s=2, p=1, bias=False)       # 3x3
    bsr("last_bn_h", "last_scale_h", "last_relu", "layer_512_1_conv1_h", "fc7")
    ncls = 2
    var = [0.1, 0.1, 0.2, 0.2]
    pbs = {"conv4_3_norm": (4, {"min_size": 8.0, "max_size": 16.0, "aspect_ratio": 2.0, "flip": True,
                                "clip": False, "variance": var, "step": 8.0, "offset": 0.5}),
           "fc7": (6, {"min_size": 16.0, "max_size": 32.0, "aspect_ratio": [2.0, 3.0], "flip": True, "clip": False,
                       "variance": var, "step": 16.0, "offset": 0.5})}
    for fm, (npri, pp) in pbs.items():
        nb.mbox_head(fm, npri, ncls, 3, bg_bias=3.0)
        nb.priorbox(fm, "data", pp)
    kept = nb.ssd_tail(list(pbs), ncls, {"top_k": 400, "keep_top_k": 200, "confidence_threshold": 0.45},
                          include_test=True)
    return nb.case(name, "whole net (res10 face SSD)", {"data": x},
                   ["conv1_pool", "layer_64_1_sum", "layer_256_1_bn1", "conv4_3_norm", "fc7", "mbox_loc",
                    "mbox_conf_flatten", "mbox_priorbox", "detection_out"],
                   "OpenCV res10_300x300 face detector structure on a 48x48 input (input + input_shape, BGR minus "
                   "mean): data_bn/data_scale on the input, conv1_h 7x7 s2 + BatchNorm/Scale/ReLU, MAX pool 3/2 "
                   "(ceil: 24 -> 12), two residual blocks with Eltwise SUM (one with a 1x1 s2 expand branch), "
                   "pre-activation BatchNorm into new blobs, Normalize (across_spatial false, per-channel scale "
                   "blob, scale_filler constant 10) feeding the first mbox head, fc7 head on 3x3; DetectionOutput "
                   "num_classes 2 with include { phase: TEST }, top_k 400, keep_top_k 200, threshold 0.45: "
                   "%s" % kept, "input_shape")


def _mtcnn_pnet_mini():
    name = "net_mtcnn_pnet_mini"
    x = f32(rng_for(name + "/input").uniform(-1, 1, (1, 3, 19, 17)))
    nb = NetBuilder(name, {"data": x})
    cp = {"param": [{"lr_mult": 1.0, "decay_mult": 1.0}, {"lr_mult": 2.0, "decay_mult": 0.0}]}
    fill = {"weight_filler": {"type": "xavier"}, "bias_filler": {"type": "constant", "value": 0.0}}
    nb.conv("conv1", "data", 6, 3, gain=1.5, extra=fill, params=cp)          # 17x15
    nb.prelu("PReLU1", "conv1")
    nb.pool("pool1", "conv1", "pool1", "MAX", 2, 2)                          # ceil: 9x8
    nb.conv("conv2", "pool1", 10, 3, gain=1.5, extra=fill, params=cp)        # 7x6
    nb.prelu("PReLU2", "conv2")
    nb.conv("conv3", "conv2", 16, 3, gain=1.5, extra=fill, params=cp)        # 5x4
    nb.prelu("PReLU3", "conv3")
    nb.conv("conv4-1", "conv3", 2, 1, gain=2.0, extra=fill, params=cp)
    nb.conv("conv4-2", "conv3", 4, 1, extra=fill, params=cp)
    nb.softmax("prob1", "conv4-1", "prob1")
    return nb.case(name, "whole net (MTCNN P-Net)", {"data": x}, ["pool1", "conv3", "conv4-2", "prob1"],
                   "MTCNN det1 structure on a 19x17 input (input + 4 input_dim): 3x3 convs each followed by an "
                   "in-place per-channel PReLU, MAX pool 2/2 on the odd 17x15 map (ceil: 9x8), heads conv4-1 -> "
                   "Softmax (default axis 1) and conv4-2 (boxes); layer names with '-'", "input_dim")


def _mtcnn_onet_mini():
    name = "net_mtcnn_onet_mini"
    x = f32(rng_for(name + "/input").uniform(-1, 1, (1, 3, 28, 28)))
    nb = NetBuilder(name, {"data": x})
    cp = {"param": [{"lr_mult": 1.0, "decay_mult": 1.0}, {"lr_mult": 2.0, "decay_mult": 1.0}]}
    nb.conv("conv1", "data", 8, 3, gain=1.5, params=cp)                      # 26x26
    nb.prelu("prelu1", "conv1")
    nb.pool("pool1", "conv1", "pool1", "MAX", 3, 2)                          # ceil: 13x13
    nb.conv("conv2", "pool1", 12, 3, gain=1.5, params=cp)                    # 11x11
    nb.prelu("prelu2", "conv2")
    nb.pool("pool2", "conv2", "pool2", "MAX", 3, 2)                          # 5x5
    nb.conv("conv3", "pool2", 12, 3, gain=1.5, params=cp)                    # 3x3
    nb.prelu("prelu3", "conv3")
    nb.pool("pool3", "conv3", "pool3", "MAX", 2, 2)                          # ceil: 2x2
    nb.conv("conv4", "pool3", 16, 2, gain=1.5, params=cp)                    # 1x1
    nb.prelu("prelu4", "conv4")
    nb.ip("conv5", "conv4", 32, gain=1.5)
    nb.dropout("drop5", "conv5", 0.25)
    nb.prelu("prelu5", "conv5")
    nb.ip("conv6-1", "conv5", 2, gain=2.0)
    nb.ip("conv6-2", "conv5", 4)
    nb.ip("conv6-3", "conv5", 10)
    nb.softmax("prob1", "conv6-1", "prob1")
    return nb.case(name, "whole net (MTCNN O-Net)", {"data": x},
                   ["pool1", "pool3", "conv5", "prob1", "conv6-2", "conv6-3"],
                   "MTCNN det3 structure on a 28x28 input (input + 4 input_dim): convs + per-channel PReLU, MAX pool "
                   "3/2 on 26x26 (ceil: 13) and on 11x11 (5), MAX pool 2/2 on 3x3 (ceil: 2), conv4 2x2 -> 1x1, "
                   "InnerProduct conv5 with in-place Dropout and PReLU on the 2-D blob, three InnerProduct heads "
                   "(conv6-1 -> Softmax prob1, conv6-2 boxes, conv6-3 landmarks)", "input_dim")


def _v1_mix():
    name = "net_v1_prelu_free_mix"
    x = f32(rng_for(name + "/input").normal(0, 1, (1, 4, 10, 10)))
    nb = NetBuilder(name, {"data": x}, fmt="v1")
    old = {"blobs_lr": [1.0, 2.0], "weight_decay": [1.0, 0.0]}
    nb.conv("conv1", "data", 8, 3, p=1, group=2, gain=math.sqrt(2), params=old)   # 10x10
    nb.relu("relu1", "conv1")
    nb.pool("pool1", "conv1", "pool1", "AVE", 3, 2, 1)                            # 6x6, window clipped
    nb.conv("conv2a", "pool1", 8, 1, gain=1.5)
    nb.conv("conv2b", "pool1", 8, 3, p=1, group=4, gain=1.5)
    nb.eltwise_sum("elt", ["conv2a", "conv2b"], "elt", [1.0, -0.5])
    nb.concat("cat", ["pool1", "elt"], "cat")
    nb.pool("pool2", "cat", "pool2", "MAX", 2, 2)                                 # 3x3
    nb.ip("ip1", "pool2", 12, gain=math.sqrt(2))
    nb.relu("relu2", "ip1")
    nb.dropout("drop1", "ip1", 0.5)
    nb.ip("ip2", "ip1", 5, gain=2.0)
    nb.softmax("prob", "ip2", "prob")
    return nb.case(name, "V1 net", {"data": x}, ["pool1", "elt", "cat", "ip1", "prob"],
                   "V1 net (layers { type: ENUM }, input + 4 input_dim, blobs_lr/weight_decay on conv1): "
                   "CONVOLUTION group 2 + RELU, POOLING AVE 3/2 pad 1 (10 -> 6, last window clipped), 1x1 and "
                   "grouped 3x3 CONVOLUTION branches joined by ELTWISE SUM coeff 1, -0.5, CONCAT with the pooled "
                   "blob, POOLING MAX, INNER_PRODUCT + RELU + DROPOUT, INNER_PRODUCT, SOFTMAX", "input_dim")


# --------------------------------------------------------------------------------------
# Running OpenCV
# --------------------------------------------------------------------------------------
def run_opencv(prototxt, caffemodel, inputs, pins, fusion):
    import cv2
    net = cv2.dnn.readNetFromCaffe(prototxt, caffemodel)
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    net.enableFusion(fusion)
    for blob, arr in inputs.items():
        net.setInput(arr, blob)
    # OpenCV's Caffe reader registers Convolution layers under their top blob's name, so a
    # layer name that OpenCV does not know is looked up as that blob name.
    known = set(net.getLayerNames())
    resolved = {blob: (ln if ln in known else blob, idx) for blob, (ln, idx) in pins.items()}
    layer_names = sorted({p[0] for p in resolved.values()})
    got = net.forwardAndRetrieve(layer_names)
    by_layer = dict(zip(layer_names, got))
    return {blob: np.array(by_layer[ln][idx], dtype=np.float32, copy=True) for blob, (ln, idx) in resolved.items()}


def _child(prototxt, caffemodel, inputs, pins, result_path):
    try:
        fused = run_opencv(prototxt, caffemodel, inputs, pins, True)
        unfused = run_opencv(prototxt, caffemodel, inputs, pins, False)
        np.savez(result_path, **{"f_" + k: v for k, v in fused.items()}, **{"u_" + k: v for k, v in unfused.items()})
    except Exception as e:  # OpenCV errors are cv2.error
        with open(result_path + ".err", "w") as f:
            f.write(str(e).strip() or traceback.format_exc())
        sys.exit(3)


REF_TOLERANCE = 1e-4  # relative to max(1, max |expected|)


def fname(prefix, blob, many):
    return "%s_%s.npy" % (prefix, blob) if many else "%s.npy" % prefix


def build_case(c, out_dir):
    d = os.path.join(out_dir, c.name)
    tmp = d + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    proto, model = os.path.join(tmp, "net.prototxt"), os.path.join(tmp, "net.caffemodel")
    with open(proto, "w") as f:
        f.write(c.prototxt())
    with open(model, "wb") as f:
        f.write(c.caffemodel())
    pins = {b: c.producer(b) for b in c.outputs}
    result = os.path.join(tmp, "result.npz")
    ctx = multiprocessing.get_context("fork")
    p = ctx.Process(target=_child, args=(proto, model, c.inputs, pins, result))
    p.start()
    p.join(120)
    if p.is_alive():
        p.kill()
        p.join()
    if p.exitcode != 0 or not os.path.exists(result):
        reason = "exit code %s" % p.exitcode
        if os.path.exists(result + ".err"):
            reason = " ".join(open(result + ".err").read().split())
            reason = reason.replace(tmp, "<case>")
            if c.known_issue:
                reason = c.known_issue + ". OpenCV: " + reason
        elif p.exitcode is not None and p.exitcode < 0:
            reason = "OpenCV process died with signal %d" % -p.exitcode
        shutil.rmtree(tmp, ignore_errors=True)
        return None, reason
    data = np.load(result)
    fused = {b: data["f_" + b] for b in c.outputs}
    unfused = {b: data["u_" + b] for b in c.outputs}
    os.remove(result)

    many_in, many_out = len(c.inputs) > 1, len(c.outputs) > 1
    inputs_map, outputs_map = {}, {}
    for blob, arr in c.inputs.items():
        inputs_map[blob] = fname("input", blob, many_in)
        np.save(os.path.join(tmp, inputs_map[blob]), arr.astype(np.float32))
    for blob in c.outputs:
        outputs_map[blob] = fname("output", blob, many_out)
        np.save(os.path.join(tmp, outputs_map[blob]), fused[blob])

    checks = {"max_abs_diff_fusion_off": {b: float(np.abs(fused[b] - unfused[b]).max()) if fused[b].shape ==
                                          unfused[b].shape else "shape %s vs %s" % (fused[b].shape, unfused[b].shape)
                                          for b in c.outputs}}
    if c.ref is not None:
        ref = c.ref({k: v.astype(np.float64) for k, v in c.inputs.items()})
        cmp = {}
        for b, want in ref.items():
            want = np.asarray(want)
            got = fused[b]
            if got.shape != want.shape:
                cmp[b] = "shape %s vs NumPy %s" % (list(got.shape), list(want.shape))
            else:
                cmp[b] = float(np.abs(got.astype(np.float64) - want).max())
        checks["max_abs_diff_vs_numpy_caffe_formula"] = cmp
        bad = {b: v for b, v in cmp.items()
               if isinstance(v, str) or v > REF_TOLERANCE * max(1.0, float(np.abs(ref[b]).max()))}
        if bad:
            shutil.rmtree(tmp, ignore_errors=True)
            return None, "OpenCV's output disagrees with Caffe's formula (max abs diff %s)%s" % (
                ", ".join("%s: %s" % (b, v if isinstance(v, str) else "%.3g" % v) for b, v in bad.items()),
                ": " + c.known_issue if c.known_issue else "")
    meta = {
        "layer_type": c.layer_type,
        "format": "V1 (layers, enum types)" if c.fmt == "v1" else "V2 (layer, string types)",
        "input_declaration": {"input_shape": "input + input_shape", "input_dim": "input + input_dim",
                              "layer": "Input layer with input_param"}[c.input_style],
        "inputs": inputs_map,
        "outputs": outputs_map,
        "output_shapes": {b: list(fused[b].shape) for b in c.outputs},
        "note": c.note,
        "checks": checks,
    }
    with open(os.path.join(tmp, "case.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    shutil.rmtree(d, ignore_errors=True)
    os.rename(tmp, d)
    return meta, None


README_HEAD = """# Caffe golden fixtures

Reference outputs for Kiln's Caffe importer. Each directory is one small Caffe net together with
the outputs OpenCV's DNN module (`cv2.dnn.readNetFromCaffe`, OpenCV backend, CPU target) computes
for a seeded random input.

## Regenerating

```
/usr/bin/python3 scripts/caffe-golden/make_fixtures.py
```

Run from the repository root with Debian's `python3-opencv` and `python3-numpy` (the script's
docstring lists the options). The fixtures below were produced with OpenCV {cv_version} and
NumPy {np_version}.

## Layout of a case directory

| file | content |
|---|---|
| `net.prototxt` | the net in protobuf text format. Most cases use the V2 `layer {{ type: "..." }}` form; `v1_*` and `net_v1_*` cases use the legacy V1 `layers {{ type: ENUM }}` form with `input` + four `input_dim`. Net inputs are declared with `input` + `input_shape`, `input` + `input_dim`, or an `Input` layer (`input_declaration` in `case.json`). |
| `net.caffemodel` | binary `NetParameter`: the net name, the inputs (`input`/`input_shape` or `input_dim`) and every layer with `name`, `type`, `bottom`, `top` and its learned blobs (V2: `layer` = field 100, blob `shape` + packed `data`; V1: `layers` = field 2 with the enum `type` and legacy `num/channels/height/width` blob dims). Layer-specific parameters are only in the prototxt. |
| `input.npy` / `input_<blob>.npy` | float32 input(s), one file per net input blob (the `_<blob>` form when the net has several) |
| `output.npy` / `output_<blob>.npy` | float32 OpenCV results for the checked blobs (the `_<blob>` form when several blobs are checked) |
| `case.json` | `layer_type`, `inputs` and `outputs` (blob name -> file), `output_shapes`, `note`, and `checks` |

`checks.max_abs_diff_fusion_off` is the difference to the same net run with OpenCV's layer fusion
disabled; `checks.max_abs_diff_vs_numpy_caffe_formula` the difference to a NumPy implementation of
Caffe's formula for that layer or net (every written case has one). Cases whose difference exceeds
1e-4 * max(1, max |expected|) are not written but listed under "Skipped".
A blob name in `outputs` means the blob's final value, i.e. after any in-place layers writing it.

The `net_*` cases are whole networks laid out like published deploy files (MobileNet-SSD, OpenCV's
res10 face SSD, MTCNN P-Net and O-Net, a legacy V1 net) with random weights and small inputs. Their
NumPy reference runs the whole net layer by layer; BatchNorm statistics are taken from the actual
activations (slightly perturbed) so that the random nets stay well-conditioned. For the two SSD nets
the confidence threshold is chosen so that several detections are produced, and the script asserts
that no decision of DetectionOutput (score vs threshold, IoU vs NMS threshold, the top_k and
keep_top_k cuts) lies within 1e-3 of flipping, so float rounding cannot change the rows.

Shapes are OpenCV's: e.g. InnerProduct on a 4-D input gives `[1, N]`, PriorBox gives `[1, 2, 4*P]`,
DetectionOutput gives `[1, 1, D, 7]` with rows `image_id, label, score, xmin, ymin, xmax, ymax`.

## OpenCV conventions worth knowing when comparing

- Convolution layers are registered in OpenCV under their top blob's name, not the layer name
  (other layer types keep their name); the script looks outputs up accordingly. In-place layers
  (ReLU after Convolution, Scale after BatchNorm) overwrite the producer's buffer, so a blob's
  golden value is always its final value.
- Pooling uses Caffe's ceil rounding, `ceil((in + 2*pad - k) / stride) + 1`, minus one when
  `pad > 0` and the last window would start at or beyond `in + pad` (`pool_max_stride_gt_kernel`:
  ceil gives 4, output is 3). AVE divides by the window clipped to `[-pad, in + pad)`, i.e. padded
  zeros count but the part of a ceil-mode window beyond the padding does not
  (`pool_ave_pad`, `pool_ave_ceil_overhang`). All pooling cases match a NumPy port of Caffe's loop.
- InnerProduct on a 4-D input flattens from `axis` and returns 2-D `[N, num_output]`
  (`[1, 2, 5]` for axis 2 on `1x2x3x4`). `transpose: true` is ignored by OpenCV (skipped case).
- BatchNorm divides blob 0 and blob 1 by the factor in blob 2 (checked with factor 0.5 and 2.0),
  then `(x - mean) / sqrt(var + eps)`.
- LRN ACROSS_CHANNELS computes `x / (1 + alpha/local_size * sum(x^2))^beta`; `k` is ignored and a
  missing `alpha` means 1e-4 instead of Caffe's 1, so the written LRN cases all state alpha and use
  k = 1. WITHIN_CHANNEL matches Caffe: `x * (1 + alpha * avg)^-beta` where avg is the mean of x^2
  over the `local_size^2` window, zero-padded, always divided by `local_size^2`.
- Normalize: `x / sqrt(sum(x^2) + eps) * scale`, the sum over channels per pixel
  (`across_spatial: false`) or over C*H*W (`across_spatial: true`); eps is inside the square
  root (`normalize_large_eps`, eps 0.01, distinguishes it from `sqrt(sum) + eps`).
- PriorBox output is `[1, 2, H*W*P*4]`: channel 0 the boxes, channel 1 the variances repeated for
  every box. Per cell, for each min_size: the min_size square, then `sqrt(min_size*max_size)`
  square, then for each aspect ratio `ar` (deduplicated, 1 excluded) the `ar` box followed by its
  `1/ar` box when flip is set. Centres are `(x + offset) * step`; without `step`, step is
  image size / feature size per axis. Clipping to [0, 1] only with `clip: true`.
- DetectionOutput output is always `[1, 1, keep_top_k, 7]`, rows
  `image_id, label, score, xmin, ymin, xmax, ymax`. Kept detections come first, sorted by score
  in descending order across all classes (labels interleave; Caffe instead groups the rows by
  label), and the remaining rows are all zeros; when nothing passes the threshold all rows are
  zero (Caffe's SSD code gives `[1, 1, num_kept, 7]`, and one row of -1 with the image id when
  nothing is kept). Decoded boxes are not clipped (coordinates below 0 or above 1 occur). With
  keep_top_k 5 the rows are the first five of the keep_top_k 20 case. All four cases match a
  NumPy port of SSD's decoding (CENTER_SIZE, prior variances), per-class greedy NMS on the
  `top_k` best scores above the threshold (IoU without +1, suppress when IoU > nms_threshold)
  and the global keep_top_k cut, once its rows are sorted by score and zero-padded.
- Slice: `slice_dim` is ignored (skipped case), and an equal split without `slice_point` fails.
  Negative `axis` works. Concat: `concat_dim` is ignored (skipped case).
- No fixture exists for Interp, Upsample, ArgMax, Threshold, Bias, Log with base/scale/shift and
  Scale with num_axes 0; see "Skipped" below.

## Cases

| case | layer type | outputs (shape) | note |
|---|---|---|---|
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    import cv2
    only = set(filter(None, args.only.split(",")))
    cases = [c for fn in CASES for c in fn()]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    os.makedirs(args.out, exist_ok=True)
    produced, skipped = [], []
    for c in cases:
        if only and c.name not in only:
            continue
        meta, reason = build_case(c, args.out)
        if meta is None:
            skipped.append((c, reason))
            shutil.rmtree(os.path.join(args.out, c.name), ignore_errors=True)
            print("SKIP %-32s %s" % (c.name, reason.splitlines()[0] if reason else ""))
        else:
            produced.append((c, meta))
            worst = [v for d in meta["checks"].values() for v in d.values()]
            print("ok   %-32s %s" % (c.name, " ".join("%s" % (("%.2g" % v) if isinstance(v, float) else v)
                                                     for v in worst)))
    if only:
        return
    # drop directories of cases that no longer exist (or are now skipped)
    written = {c.name for c, _ in produced}
    for entry in sorted(os.listdir(args.out)):
        path = os.path.join(args.out, entry)
        if entry not in written and os.path.isfile(os.path.join(path, "case.json")):
            shutil.rmtree(path)
            print("removed stale %s" % entry)
    with open(os.path.join(args.out, "README.md"), "w") as f:
        f.write(README_HEAD.format(cv_version=cv2.__version__, np_version=np.__version__))
        for c, meta in produced:
            outs = ", ".join("`%s` %s" % (b, meta["output_shapes"][b]) for b in meta["outputs"])
            f.write("| `%s` | %s | %s | %s |\n" % (c.name, c.layer_type, outs, c.note.replace("|", "/")))
        f.write("\n## Skipped (OpenCV %s refuses the net or computes something other than Caffe; no golden output)\n\n" % cv2.__version__)
        f.write("| case | layer type | reason |\n|---|---|---|\n")
        for c, reason in skipped:
            msg = " ".join(reason.split()).replace("|", "/")
            f.write("| `%s` | %s | %s |\n" % (c.name, c.layer_type, msg))
    print("%d cases written, %d skipped" % (len(produced), len(skipped)))


if __name__ == "__main__":
    main()
