package dev.kiln.core.compile;

import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.bin.KernelInput;
import dev.kiln.runtime.bin.TensorInfo;

import java.util.List;

/**
 * Static costs of an instruction: multiply-accumulates (convolutions and matrix products; one per
 * output element for everything else), bytes read and written, and weight bytes. The latency
 * estimate assumes the throughput measured for Kiln's kernels on one x86 core: int8 products at
 * 32 GMAC/s, float32 at 50 GMAC/s, 8 GB/s of memory traffic.
 */
public final class Costs {
    static final double INT8_MACS_PER_SECOND = 32e9;
    static final double FLOAT_MACS_PER_SECOND = 50e9;
    static final double BYTES_PER_SECOND = 8e9;

    private Costs() {
    }

    public static long macs(Instruction in, List<TensorInfo> tensors) {
        long out = elements(in.outputs().length > 0 && in.outputs()[0] >= 0 ? tensors.get(in.outputs()[0]).shape() : null);
        switch (in.opType()) {
            case "Conv":
            case "ConvInteger":
            case "QLinearConv": {
                int[] w = viewShape(in, in.opType().equals("QLinearConv") ? 3 : 1);
                return w == null ? out : out * elements(w) / Math.max(1, w[0]);
            }
            case "ConvTranspose": {
                int[] w = viewShape(in, 1);
                int[] x = viewShape(in, 0);
                return w == null || x == null ? out : elements(x) * (elements(w) / Math.max(1, w[0]));
            }
            case "Gemm":
            case "MatMul":
            case "MatMulInteger":
            case "QLinearMatMul": {
                int[] a = viewShape(in, 0);
                if (a == null || a.length == 0) {
                    return out;
                }
                boolean transA = in.opType().equals("Gemm") && in.attrs().getInt("transA", 0) != 0;
                int k = transA ? a[0] : a[a.length - 1];
                return out * Math.max(1, k);
            }
            default:
                return out;
        }
    }

    public static long bytes(Instruction in, List<TensorInfo> tensors) {
        long b = 0;
        for (int[] ids : new int[][] {in.inputs(), in.outputs()}) {
            for (int t : ids) {
                if (t >= 0 && tensors.get(t).shape() != null) {
                    b += Math.max(0, tensors.get(t).byteSize());
                }
            }
        }
        return b + weightBytes(in, tensors);
    }

    public static long weightBytes(Instruction in, List<TensorInfo> tensors) {
        long b = 0;
        for (int t : in.inputs()) {
            if (t >= 0 && tensors.get(t).isConstant()) {
                b += tensors.get(t).byteSize();
            }
        }
        if (in.integer() != null) {
            for (int[] ids : new int[][] {in.integer().weights(), in.integer().biases()}) {
                for (int t : ids) {
                    if (t >= 0) {
                        b += tensors.get(t).byteSize();
                    }
                }
            }
        }
        return b;
    }

    static double micros(long macs, long bytes, boolean integer, int cores) {
        double rate = (integer ? INT8_MACS_PER_SECOND : FLOAT_MACS_PER_SECOND) * Math.max(1, cores);
        return (macs / rate + bytes / BYTES_PER_SECOND) * 1e6;
    }

    private static int[] viewShape(Instruction in, int i) {
        if (i >= in.view().size()) {
            return null;
        }
        KernelInput k = in.view().get(i);
        return k.present() ? k.shape() : null;
    }

    private static long elements(int[] shape) {
        if (shape == null) {
            return 0;
        }
        long n = 1;
        for (int d : shape) {
            n *= Math.max(d, 0);
        }
        return n;
    }
}
