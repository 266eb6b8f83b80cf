package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/**
 * QuantizeLinear: {@code y = saturate(round_half_to_even(x / y_scale) + y_zero_point)}.
 *
 * <p>Opset 10: per-tensor; 13: per-axis ({@code axis}); 19: float16/bfloat16 inputs (the scale
 * has x's type), {@code saturate} (float8 only, so ignored here); 21: blocked quantization
 * ({@code block_size}), {@code output_dtype}, int16/uint16 outputs. Without a zero point the output
 * is uint8 (or {@code output_dtype}). float8 and 4-bit outputs are not supported.
 *
 * <p>Float inputs are divided by the scale in float32 and rounded half to even, as ONNX Runtime's
 * MLAS kernel does for float32 (NaN → lowest value, ±inf saturate; see {@link QuantMath}). Two
 * ONNX Runtime 1.24 paths differ and Kiln follows the spec instead: float16 inputs, which ORT
 * truncates toward zero (1.5 → 1) and whose infinities it maps to the lowest value, and blocked
 * quantization along a non-last axis, where ORT also maps +inf to the lowest value. int32 inputs
 * are divided in double, as the ONNX reference does.
 */
public final class QuantizeLinearKernel extends NamedFactory {
    public static final QuantizeLinearKernel INSTANCE = new QuantizeLinearKernel();

    private QuantizeLinearKernel() {
        super("QuantizeLinear", 113);
    }

    /** The output type: the zero point's type, else output_dtype (opset 21), else uint8; null if unknown. */
    public static DType outputType(KernelContext ctx) {
        long code = ctx.opset() >= 21 ? ctx.attrs().getInt("output_dtype", 0) : 0;
        DType attr = null;
        if (code != 0) {
            attr = DType.fromOnnx((int) code);
            if (attr == null || !QuantParams.isQuantType(attr)) {
                throw ctx.error("output_dtype " + DType.onnxName((int) code)
                        + " is not supported; Kiln quantizes to int8, uint8, int16 or uint16");
            }
        }
        if (ctx.hasInput(2)) {
            DType zp = ctx.inputDtype(2);
            if (zp != null && attr != null && zp != attr) {
                throw ctx.error("output_dtype " + attr + " does not match the zero point's type " + zp);
            }
            if (zp != null && !QuantParams.isQuantType(zp)) {
                throw ctx.error("y_zero_point must be int8, uint8, int16 or uint16, found " + zp);
            }
            return zp;
        }
        return attr != null ? attr : DType.UINT8;
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        DType fixed = outputType(ctx);
        long axis = ctx.attrs().getInt("axis", 1);
        long block = ctx.opset() >= 21 ? ctx.attrs().getInt("block_size", 0) : 0;
        if (block < 0) {
            throw ctx.error("block_size must be >= 0, found " + block);
        }
        return (in, ec) -> {
            Tensor zp = in.length > 2 ? in[2] : null;
            DType out = zp != null ? zp.dtype() : fixed;
            if (fixed != null && out != fixed) {
                throw new IllegalArgumentException("y_zero_point is " + out + " but the output type is " + fixed);
            }
            return new Tensor[] {quantize(in[0], in[1], zp, out, axis, block, ec)};
        };
    }

    static Tensor quantize(Tensor x, Tensor scale, Tensor zp, DType outType, long axis, long block, ExecContext ec) {
        if (!QuantParams.isQuantType(outType)) {
            throw new IllegalArgumentException("cannot quantize to " + outType + "; Kiln quantizes to int8, uint8, int16 or uint16");
        }
        QuantParams.Layout layout = QuantParams.layout(x.shape(), scale, zp, axis, block);
        int lo = QuantParams.lo(outType);
        int hi = QuantParams.hi(outType);
        int[] zps = zp == null ? new int[scale.size()] : QuantParams.ints(zp);
        Tensor y = Tensor.allocate(outType, x.shape());
        int n = x.size();
        if (x.dtype().isFloatStorage()) {
            float[] xs = x.floats();
            float[] sc = QuantParams.floats(scale);
            Object dst = y.data();
            boolean blocked = layout.blocked();
            ec.parallel().forRange(n, 1 << 14, (from, to) -> layout.forEachRun(from, to, (pos, len, p) -> {
                if (dst instanceof byte[]) {
                    byte[] d = (byte[]) dst;
                    if (blocked) {
                        for (int k = 0; k < len; k++) {
                            d[pos + k] = (byte) QuantMath.quantize(xs[pos + k], sc[p + k], zps[p + k], lo, hi);
                        }
                    } else {
                        QuantMath.quantize(xs, pos, d, pos, len, sc[p], zps[p], lo, hi);
                    }
                } else {
                    short[] d = (short[]) dst;
                    if (blocked) {
                        for (int k = 0; k < len; k++) {
                            d[pos + k] = (short) QuantMath.quantize(xs[pos + k], sc[p + k], zps[p + k], lo, hi);
                        }
                    } else {
                        QuantMath.quantize(xs, pos, d, pos, len, sc[p], zps[p], lo, hi);
                    }
                }
            }));
        } else if (x.dtype() == DType.INT32) {
            int[] xs = x.ints();
            int step = layout.blocked() ? 1 : 0;
            layout.forEachRun(0, n, (pos, len, p) -> {
                for (int k = 0; k < len; k++) {
                    int q = step == 0 ? p : p + k;
                    y.setLong(pos + k, QuantMath.quantize((double) xs[pos + k], scale.getDouble(q), zps[q], lo, hi));
                }
            });
        } else {
            throw new IllegalArgumentException("QuantizeLinear takes float32, float16, bfloat16 or int32 input, found "
                    + x.dtype());
        }
        return y;
    }
}
