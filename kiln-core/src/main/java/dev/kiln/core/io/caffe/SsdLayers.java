package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.ConstTensor;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

import static dev.kiln.core.io.caffe.CaffeContext.attrs;

/**
 * The layers of the SSD fork of Caffe (weiliu89/caffe, branch ssd): Permute, Normalize, PriorBox and
 * DetectionOutput, each as standard ONNX operators.
 */
final class SsdLayers {
    private SsdLayers() {
    }

    /**
     * Permute → Transpose. The given order comes first; the axes it leaves out follow in their
     * original order. The identity order (where Caffe shares the data) becomes Identity, which the
     * optimizer removes; binding the top to the bottom would lose the output when the bottom is an input.
     */
    static void permute(CaffeContext ctx) {
        Value x = ctx.bottom(0);
        int rank = ctx.shape(x).length;
        long[] perm = new long[rank];
        boolean[] used = new boolean[rank];
        int n = 0;
        for (int o : ctx.layer().getPermuteParam().getOrderList()) {
            if (o < 0 || o >= rank) {
                throw ctx.error("order " + o + " is out of range for a bottom of rank " + rank);
            }
            if (used[o]) {
                throw ctx.error("order " + ctx.layer().getPermuteParam().getOrderList() + " repeats axis " + o);
            }
            used[o] = true;
            perm[n++] = o;
        }
        for (int a = 0; a < rank; a++) {
            if (!used[a]) {
                perm[n++] = a;
            }
        }
        boolean identity = true;
        for (int a = 0; a < rank; a++) {
            identity &= perm[a] == a;
        }
        ctx.top(0, identity ? ctx.node(null, "Identity", null, x)
                : ctx.node(null, "Transpose", attrs().ints("perm", perm), x));
    }

    /**
     * Normalize (L2 normalization with a learned scale): y = x / sqrt(Σx² + eps) · scale, the sum over
     * the channels at each position (across_spatial false) or over C·H·W of each sample (true). As in
     * Caffe-SSD and OpenCV, eps is added to the sum of squares before the square root. The scale blob
     * has one value (channel_shared) or one per channel.
     */
    static void normalize(CaffeContext ctx) {
        CaffeNet.NormalizeParameter p = ctx.layer().getNormParam();
        // the L2 norm's square, sum and division lose their precision in int8: the layer stays float
        ctx.floatOnly("Normalize (L2 normalization) runs in float");
        Value x = ctx.bottom(0);
        int[] shape = ctx.shape(x);
        if (shape.length < 2) {
            throw ctx.error("the bottom must have at least 2 axes, found shape " + Arrays.toString(shape));
        }
        long[] axes;
        if (p.getAcrossSpatial()) {
            axes = new long[shape.length - 1];
            for (int a = 1; a < shape.length; a++) {
                axes[a - 1] = a;
            }
        } else {
            axes = new long[] {1};
        }
        Value sum = ctx.node(null, "ReduceSumSquare", attrs().ints("axes", axes).i("keepdims", 1), x);
        Value withEps = ctx.node("eps", "Add", null, sum, ctx.constant("eps", Tensor.scalar(p.getEps())));
        Value norm = ctx.node("norm", "Sqrt", null, withEps);
        Value y = ctx.node("div", "Div", null, x, norm);
        int channels = shape[1];
        Tensor scale;
        if (p.getChannelShared()) {
            scale = ctx.blob(0, "scale (channel_shared)", 1);
        } else {
            int[] s = new int[shape.length];
            Arrays.fill(s, 1);
            s[1] = channels;
            scale = ctx.blob(0, "scale (one per channel)", s);
        }
        ctx.top(0, ctx.node("scale", "Mul", null, y, ctx.constant("scale", scale)));
    }

    /** PriorBox → a constant (the boxes depend only on the bottoms' shapes); see {@link PriorBoxes}. */
    static void priorBox(CaffeContext ctx) {
        int[] feature = ctx.bottomShape(0);
        int[] image = ctx.bottomShape(1);
        if (feature.length != 4 || image.length != 4) {
            throw ctx.error("expects 4-D bottoms (feature map, image), found " + Arrays.toString(feature) + " and "
                    + Arrays.toString(image));
        }
        PriorBoxes pb = PriorBoxes.of(ctx);
        float[] data = pb.compute(feature[2], feature[3], image[2], image[3]);
        Tensor t = Tensor.of(data, 1, 2, data.length / 2);
        String top = ctx.layer().getTop(0);
        ctx.top(0, ctx.graph().addConstant(top, new ConstTensor(t)));
    }

    /** DetectionOutput → a subgraph of standard operators; see {@link DetectionOutputGraph}. */
    static void detectionOutput(CaffeContext ctx) {
        ctx.top(0, DetectionOutputGraph.build(ctx));
    }
}
