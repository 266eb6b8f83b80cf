package dev.kiln.runtime.engine;

import dev.kiln.runtime.KilnRuntimeException;
import dev.kiln.runtime.bin.IoDescriptor;
import dev.kiln.runtime.bin.IoDescriptor.TensorKind;
import dev.kiln.runtime.bin.TensorInfo;
import dev.kiln.runtime.image.Nv12;
import dev.kiln.runtime.ops.movement.Movement;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Shapes;
import dev.kiln.runtime.tensor.Tensor;
import dev.kiln.runtime.util.Parallel;

/**
 * The device's input stage: turns application data into the program's input tensor. Image bytes
 * become int8 {@code pixel - 128} (NV12 first expanded to YUV444 by repeating each chroma sample
 * over its 2x2 block, {@link Nv12#toYuv444}); data in the descriptor's layout is then permuted into
 * the program's layout. Featuremaps are float32 values permuted the same way.
 */
final class InputStage {
    /** The offset between a pixel (0..255) and its int8 value. */
    static final int PIXEL_OFFSET = 128;

    private InputStage() {
    }

    static Tensor toProgram(IoDescriptor d, TensorInfo target, Input in) {
        if (in.tensor != null) {
            Tensor t = in.tensor;
            if (t.dtype() != target.dtype() || !java.util.Arrays.equals(t.shape(), target.shape())) {
                throw new KilnRuntimeException("input '" + d.name() + "': expected a " + target.dtype().displayName() + " "
                        + Shapes.toString(target.shape()) + " tensor, got " + t.dtype().displayName() + " "
                        + Shapes.toString(t.shape()));
            }
            return t;
        }
        TensorKind k = d.type();
        Tensor staged;
        if (k == TensorKind.F32) {
            if (in.floats == null) {
                throw new KilnRuntimeException("input '" + d.name() + "' is a float32 featuremap: pass floats, not bytes");
            }
            checkLength(d, in.floats.length, Shapes.size(d.validShape()), "float values");
            staged = Tensor.wrap(DType.FLOAT, d.validShape().clone(), in.floats.clone());
        } else {
            if (in.bytes == null) {
                throw new KilnRuntimeException("input '" + d.name() + "' is " + k + " data: pass bytes, not floats");
            }
            checkLength(d, in.bytes.length, d.byteSize(), "bytes");
            if (k == TensorKind.NV12 && java.util.Arrays.equals(d.toProgram(), NHWC_TO_NCHW)) {
                return checked(d, nv12Planar(d, in.bytes), target);
            }
            staged = k == TensorKind.NV12 ? nv12(d, in.bytes) : bytes(d, in.bytes);
        }
        Tensor out = d.toProgram() == null ? staged
                : Movement.transpose(staged, staged.shape(), d.toProgram(), Parallel.serial());
        return checked(d, out, target);
    }

    /** The program's input, after checking it is what the program expects. */
    private static Tensor checked(IoDescriptor d, Tensor out, TensorInfo target) {
        TensorKind k = d.type();
        if (out.dtype() != target.dtype() || !java.util.Arrays.equals(out.shape(), target.shape())) {
            throw new KilnRuntimeException("input '" + d.name() + "': the descriptor (" + k + " " + Shapes.toString(d.validShape())
                    + ") does not produce the program's input (" + target.dtype().displayName() + " "
                    + Shapes.toString(target.shape()) + "); the file is inconsistent");
        }
        return out;
    }

    /** The descriptor of one frame of an input that carries {@code batch} frames (input_batch). */
    static IoDescriptor frame(IoDescriptor d, int batch) {
        int[] valid = d.validShape().clone();
        int[] aligned = d.alignedShape().clone();
        valid[0] /= batch;
        aligned[0] /= batch;
        return new IoDescriptor(d.name(), d.tensor(), d.type(), d.layout(), valid, aligned, d.strides(),
                d.byteSize() / batch, d.quant(), d.toProgram());
    }

    /** Frame {@code b} of {@code batch} of an input's data, after checking the data holds all of them. */
    static Input slice(IoDescriptor d, Input in, int b, int batch) {
        if (in.tensor != null) {
            Tensor t = in.tensor;
            if (t.rank() == 0 || t.dim(0) % batch != 0) {
                throw new KilnRuntimeException("input '" + d.name() + "': input_batch is " + batch + ", so a tensor input"
                        + " needs a first dimension divisible by it, got " + Shapes.toString(t.shape()));
            }
            int[] shape = t.shape().clone();
            shape[0] /= batch;
            int n = t.size() / batch;
            Tensor part = Tensor.allocate(t.dtype(), shape);
            part.copyFrom(t, b * n, 0, n);
            return Input.tensor(part);
        }
        if (in.floats != null) {
            checkLength(d, in.floats.length, Shapes.size(d.validShape()), "float values");
            int n = in.floats.length / batch;
            return Input.floats(java.util.Arrays.copyOfRange(in.floats, b * n, (b + 1) * n));
        }
        checkLength(d, in.bytes.length, d.byteSize(), "bytes");
        int n = in.bytes.length / batch;
        return Input.bytes(java.util.Arrays.copyOfRange(in.bytes, b * n, (b + 1) * n));
    }

    private static void checkLength(IoDescriptor d, long got, long want, String what) {
        if (got != want) {
            throw new KilnRuntimeException("input '" + d.name() + "': expected " + want + " " + what + " ("
                    + d.type() + " " + Shapes.toString(d.validShape()) + "), got " + got);
        }
    }

    /** Image bytes or raw S8/U8 data. Images become pixel - 128; S8 is taken as is. */
    private static Tensor bytes(IoDescriptor d, byte[] data) {
        TensorKind k = d.type();
        if (k == TensorKind.S8) {
            return Tensor.wrap(DType.INT8, d.validShape().clone(), data.clone());
        }
        if (k == TensorKind.U8) {
            return Tensor.wrap(DType.UINT8, d.validShape().clone(), data.clone());
        }
        if (!k.isImage()) {
            throw new KilnRuntimeException("input '" + d.name() + "': " + k + " inputs take a tensor");
        }
        byte[] out = new byte[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((data[i] & 0xff) - PIXEL_OFFSET);
        }
        return Tensor.wrap(DType.INT8, d.validShape().clone(), out);
    }

    /** The permutation from the NHWC of {@link #nv12} to planar NCHW. */
    private static final int[] NHWC_TO_NCHW = {0, 3, 1, 2};

    /**
     * NV12 of 1 x H x W straight into planar YUV444 (1 x 3 x H x W, NCHW), pixel - 128: the same
     * values as {@link #nv12} transposed by {@link #NHWC_TO_NCHW}, without the interleaved copy.
     */
    static Tensor nv12Planar(IoDescriptor d, byte[] data) {
        int h = d.validShape()[1];
        int w = d.validShape()[2];
        int plane = h * w;
        if (h % 2 != 0 || w % 2 != 0 || data.length < plane + plane / 2) {
            return Movement.transpose(nv12(d, data), new int[] {1, h, w, 3}, NHWC_TO_NCHW, Parallel.serial());
        }
        byte[] out = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            out[i] = (byte) ((data[i] & 0xff) - PIXEL_OFFSET);
        }
        int at = plane;
        for (int r = 0; r < h; r += 2) {
            int u = plane + r * w;
            int v = u + plane;
            for (int c = 0; c < w; c += 2, at += 2) {
                byte cu = (byte) ((data[at] & 0xff) - PIXEL_OFFSET);
                byte cv = (byte) ((data[at + 1] & 0xff) - PIXEL_OFFSET);
                out[u + c] = cu;
                out[u + c + 1] = cu;
                out[u + w + c] = cu;
                out[u + w + c + 1] = cu;
                out[v + c] = cv;
                out[v + c + 1] = cv;
                out[v + w + c] = cv;
                out[v + w + c + 1] = cv;
            }
        }
        return Tensor.wrap(DType.INT8, new int[] {1, 3, h, w}, out);
    }

    /** NV12 of 1 x H x W: YUV444 interleaved (1 x H x W x 3, NHWC), pixel - 128. */
    static Tensor nv12(IoDescriptor d, byte[] data) {
        int h = d.validShape()[1];
        int w = d.validShape()[2];
        int plane = h * w;
        byte[] y = new byte[plane];
        byte[] u = new byte[plane];
        byte[] v = new byte[plane];
        Nv12.toYuv444(data, h, w, y, u, v);
        byte[] out = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            out[3 * i] = (byte) ((y[i] & 0xff) - PIXEL_OFFSET);
            out[3 * i + 1] = (byte) ((u[i] & 0xff) - PIXEL_OFFSET);
            out[3 * i + 2] = (byte) ((v[i] & 0xff) - PIXEL_OFFSET);
        }
        return Tensor.wrap(DType.INT8, new int[] {1, h, w, 3}, out);
    }
}
