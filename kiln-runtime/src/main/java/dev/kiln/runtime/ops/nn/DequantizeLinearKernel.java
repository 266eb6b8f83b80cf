package dev.kiln.runtime.ops.nn;

import dev.kiln.runtime.ops.ExecContext;
import dev.kiln.runtime.ops.Kernel;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.ops.NamedFactory;
import dev.kiln.runtime.quant.QuantMath;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Half;
import dev.kiln.runtime.tensor.Tensor;

/**
 * DequantizeLinear: {@code y = (x - x_zero_point) * x_scale}, computed in float32.
 *
 * <p>Opset 10: per-tensor, int8/uint8/int32 input; 13: per-axis ({@code axis}); 19: float16 and
 * bfloat16 scales, the output taking the scale's type (rounded from float32, as ONNX Runtime
 * does); 21: blocked quantization ({@code block_size}) and int16/uint16 inputs. int32 inputs have
 * no zero point (or an all-zero one, which ONNX Runtime enforces). float8 and 4-bit inputs are
 * not supported.
 */
public final class DequantizeLinearKernel extends NamedFactory {
    public static final DequantizeLinearKernel INSTANCE = new DequantizeLinearKernel();

    private DequantizeLinearKernel() {
        super("DequantizeLinear", 114);
    }

    @Override
    public Kernel prepare(KernelContext ctx) {
        long axis = ctx.attrs().getInt("axis", 1);
        long block = ctx.opset() >= 21 ? ctx.attrs().getInt("block_size", 0) : 0;
        if (block < 0) {
            throw ctx.error("block_size must be >= 0, found " + block);
        }
        boolean scaleTyped = ctx.opset() >= 19;
        return (in, ec) -> {
            Tensor scale = in[1];
            DType out = scaleTyped ? scale.dtype() : DType.FLOAT;
            if (!out.isFloatStorage()) {
                throw new IllegalArgumentException("x_scale must be float, float16 or bfloat16, found " + scale.dtype());
            }
            return new Tensor[] {dequantize(in[0], scale, in.length > 2 ? in[2] : null, out, axis, block, ec)};
        };
    }

    static Tensor dequantize(Tensor x, Tensor scale, Tensor zp, DType outType, long axis, long block, ExecContext ec) {
        DType t = x.dtype();
        if (!QuantParams.isQuantType(t) && t != DType.INT32) {
            throw new IllegalArgumentException("DequantizeLinear takes int8, uint8, int16, uint16 or int32 input, found " + t);
        }
        if (zp != null && zp.dtype() != t) {
            throw new IllegalArgumentException("x_zero_point is " + zp.dtype() + " but x is " + t);
        }
        QuantParams.Layout layout = QuantParams.layout(x.shape(), scale, zp, axis, block);
        int[] zps = zp == null ? new int[scale.size()] : QuantParams.ints(zp);
        if (t == DType.INT32) {
            for (int z : zps) {
                if (z != 0) {
                    throw new IllegalArgumentException("an int32 input has no zero point; found a non-zero x_zero_point " + z);
                }
            }
        }
        float[] sc = QuantParams.floats(scale);
        Tensor y = Tensor.allocate(outType, x.shape());
        float[] o = y.floats();
        Object src = x.data();
        boolean unsigned = t.isUnsigned();
        boolean blocked = layout.blocked();
        ec.parallel().forRange(x.size(), 1 << 14, (from, to) -> layout.forEachRun(from, to, (pos, len, p) -> {
            if (src instanceof byte[] && !blocked) {
                QuantMath.dequantize((byte[]) src, pos, unsigned, o, pos, len, sc[p], zps[p]);
            } else {
                for (int k = 0; k < len; k++) {
                    int q = blocked ? p + k : p;
                    o[pos + k] = QuantMath.dequantize(x.getLong(pos + k), zps[q], sc[q]);
                }
            }
            if (outType == DType.FLOAT16) {
                for (int k = 0; k < len; k++) {
                    o[pos + k] = Half.round(o[pos + k]);
                }
            } else if (outType == DType.BFLOAT16) {
                for (int k = 0; k < len; k++) {
                    o[pos + k] = Half.bf16Round(o[pos + k]);
                }
            }
        }));
        return y;
    }
}
