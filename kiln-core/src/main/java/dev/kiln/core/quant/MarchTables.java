package dev.kiln.core.quant;

import dev.kiln.core.config.March;

import java.util.List;
import java.util.Set;

import static dev.kiln.core.quant.MarchLimit.alignedElementsAtMost;
import static dev.kiln.core.quant.MarchLimit.attrEquals;
import static dev.kiln.core.quant.MarchLimit.axisIn;
import static dev.kiln.core.quant.MarchLimit.axisNotBatch;
import static dev.kiln.core.quant.MarchLimit.channelsAtMost;
import static dev.kiln.core.quant.MarchLimit.dilationAtMost;
import static dev.kiln.core.quant.MarchLimit.dilationDivisibleByStride;
import static dev.kiln.core.quant.MarchLimit.dilationNeedsUnitStride;
import static dev.kiln.core.quant.MarchLimit.dilationPowerOfTwo;
import static dev.kiln.core.quant.MarchLimit.elementsAtMost;
import static dev.kiln.core.quant.MarchLimit.featureMapInputs;
import static dev.kiln.core.quant.MarchLimit.heightNotAboveWidth;
import static dev.kiln.core.quant.MarchLimit.inputAreaAtMost;
import static dev.kiln.core.quant.MarchLimit.inputSpatialAtMost;
import static dev.kiln.core.quant.MarchLimit.kernelAtLeast;
import static dev.kiln.core.quant.MarchLimit.kernelAtMost;
import static dev.kiln.core.quant.MarchLimit.kernelVolumeAtMost;
import static dev.kiln.core.quant.MarchLimit.padAtMostHalfKernel;
import static dev.kiln.core.quant.MarchLimit.strideAtMost;
import static dev.kiln.core.quant.MarchLimit.strideIn;
import static dev.kiln.core.quant.MarchShapeLimits.broadcastLimited;
import static dev.kiln.core.quant.MarchShapeLimits.gemmInputFeaturesAtMost;
import static dev.kiln.core.quant.MarchShapeLimits.matMulFeatureMaps;
import static dev.kiln.core.quant.MarchShapeLimits.matrixDimsAtMost;
import static dev.kiln.core.quant.MarchShapeLimits.padOnlyHW;
import static dev.kiln.core.quant.MarchShapeLimits.reduceOneAxisKept;
import static dev.kiln.core.quant.MarchShapeLimits.resizeNearestFactors;
import static dev.kiln.core.quant.MarchShapeLimits.resizeOnlyHW;

/**
 * The march profiles as tables. Sources: the operator lists Horizon / D-Robotics publish with the
 * toolchain ("supported operator list and restrictions", the ONNX tables "X3 BPU", "RDK Ultra BPU"
 * and "X5 BPU", which list opset 10/11 operators). How Kiln reads them:
 * <ul>
 * <li>An operator the list marks "BPU" is an integer operator of the profile; one it marks "CPU", or
 * does not list, is not. Operators that run on the CPU by default and move to the BPU only through
 * run_on_bpu (Softmax, and on Ultra/X5 the comparisons) are not in the integer list.</li>
 * <li>Operators newer than opset 11, absent from the lists, follow the operators they decompose
 * into: HardSwish = x · HardSigmoid(x), Gelu through Erf, Mish through Softplus and Tanh.</li>
 * <li>Limits that depend on fusion (stride of a Conv feeding a residual Add), data types (int16) or
 * the whole graph (the last Conv of a subgraph) are left out; limits on dims are checked on the
 * optimized model's static shapes and do not apply to unknown dims.</li>
 * <li>nash-e / nash-m (S100/S100P): the published constraints are on data types and general shape
 * ranges that Kiln's int8/int16 operators meet; the profile is Kiln's reading: no limits beyond
 * operator support, like generic.</li>
 * </ul>
 */
final class MarchTables {
    private static final String X3 = "Horizon's published X3 (RDK X3) BPU operator list and restrictions";
    private static final String ULTRA = "Horizon's published RDK Ultra (J5) BPU operator list and restrictions";
    private static final String X5 = "Horizon's published RDK X5 BPU operator list and restrictions";

    private MarchTables() {
    }

    static MarchProfile build(March m) {
        switch (m) {
            case BERNOULLI2:
                return bernoulli2();
            case BAYES:
                return new MarchProfile(m, ULTRA, BAYES_OPS, largeChipLimits(65535));
            case BAYES_E:
                return new MarchProfile(m, X5, BAYES_E_OPS, largeChipLimits(32767));
            case NASH_E:
            case NASH_M:
                return new MarchProfile(m, "Kiln's reading of the S100 constraints: no limits beyond operator support",
                        null, List.of());
            default:
                return new MarchProfile(m, "Kiln's own integer engine: no limits beyond operator support", null, List.of());
        }
    }

    /** X3: operators the published ONNX table marks BPU. */
    private static final Set<String> BERNOULLI2_OPS = Set.of("Add", "ArgMax", "AveragePool", "BatchNormalization", "Clip",
            "Concat", "Conv", "ConvTranspose", "Cos", "DepthToSpace", "Div", "Dropout", "Exp", "Gemm", "GlobalAveragePool",
            "GlobalMaxPool", "LSTM", "LeakyRelu", "MatMul", "MaxPool", "Mish", "Mul", "PRelu", "Pad", "Pow", "Reciprocal",
            "ReduceMean", "Relu", "Resize", "Sigmoid", "Sin", "Slice", "Softplus", "SpaceToDepth", "Split", "Sqrt", "Sum",
            "Tanh", "Upsample");

    private static MarchProfile bernoulli2() {
        return new MarchProfile(March.BERNOULLI2, X3, BERNOULLI2_OPS, List.of(
                kernelAtMost("Conv", 7),
                channelsAtMost("Conv", 2048),
                kernelVolumeAtMost("Conv", 32768),
                dilationPowerOfTwo("Conv"),
                dilationDivisibleByStride("Conv"),
                heightNotAboveWidth("Conv", "dilation"),
                kernelAtLeast("ConvTranspose", 2),
                kernelAtMost("ConvTranspose", 14),
                channelsAtMost("ConvTranspose", 2048),
                strideIn("ConvTranspose", Set.of(2, 4)),
                heightNotAboveWidth("ConvTranspose", "stride"),
                dilationAtMost("ConvTranspose", 1),
                padAtMostHalfKernel("ConvTranspose"),
                gemmInputFeaturesAtMost("Gemm", 16384),
                matMulFeatureMaps("MatMul"),
                kernelAtMost("MaxPool", 64),
                strideAtMost("MaxPool", 185),
                dilationAtMost("MaxPool", 1),
                kernelAtMost("AveragePool", 7),
                strideAtMost("AveragePool", 185),
                inputAreaAtMost("GlobalAveragePool", 8192),
                inputSpatialAtMost("GlobalMaxPool", 1024),
                channelsAtMost("Concat", 2048),
                axisIn("Split", Set.of(1, 2, 3)),
                channelsAtMost("Add", 2048),
                broadcastLimited("Add", true),
                channelsAtMost("Mul", 2048),
                broadcastLimited("Mul", true),
                featureMapInputs("Div"),
                broadcastLimited("Div", true),
                padOnlyHW("Pad"),
                resizeOnlyHW("Resize"),
                resizeNearestFactors("Resize"),
                resizeOnlyHW("Upsample"),
                resizeNearestFactors("Upsample"),
                attrEquals("DepthToSpace", "blocksize", 2),
                attrEquals("SpaceToDepth", "blocksize", 2),
                alignedElementsAtMost("Sigmoid", 8192),
                elementsAtMost("Tanh", 8192),
                elementsAtMost("Softplus", 8192),
                elementsAtMost("Sqrt", 8192),
                elementsAtMost("Sin", 8192),
                elementsAtMost("Cos", 8192)));
    }

    /** Operators both larger chips (RDK Ultra and X5) mark BPU. */
    private static final Set<String> LARGE_CHIP_OPS = Set.of("Abs", "Add", "ArgMax", "ArgMin", "Atan", "AveragePool",
            "BatchNormalization", "Ceil", "Clip", "Concat", "Conv", "ConvTranspose", "Cos", "DepthToSpace", "Div",
            "Dropout", "Elu", "Exp", "Expand", "Flatten", "Floor", "Gather", "GatherElements", "Gemm",
            "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid", "HardSwish", "LSTM", "LeakyRelu", "Log", "MatMul", "Max",
            "MaxPool", "Mish", "Mul", "Pad", "Pow", "Reciprocal", "ReduceMax", "ReduceMean", "ReduceSum", "Relu",
            "Reshape", "Resize", "Sigmoid", "Sin", "Slice", "Softplus", "SpaceToDepth", "Split", "Sqrt", "Squeeze", "Sub",
            "Sum", "Tanh", "Tile", "TopK", "Transpose", "Unsqueeze", "Upsample", "GridSample");

    private static final Set<String> BAYES_OPS = LARGE_CHIP_OPS;

    /** X5 adds the inverse trigonometric and hyperbolic functions, Erf (so Gelu), Round, Selu, Sign, Softsign, PRelu. */
    private static final Set<String> BAYES_E_OPS = union(LARGE_CHIP_OPS, Set.of("Acos", "Acosh", "Asin", "Asinh", "Atanh",
            "Cosh", "Erf", "Gelu", "PRelu", "Round", "Selu", "Sign", "Sinh", "Softsign", "Tan"));

    /**
     * RDK Ultra and X5 state the same limits except the kernel volume (C x H x W: 65535 on Ultra,
     * 32767 on X5).
     */
    private static List<MarchLimit> largeChipLimits(int kernelVolume) {
        return List.of(
                kernelAtMost("Conv", 31),
                channelsAtMost("Conv", 8192),
                kernelVolumeAtMost("Conv", kernelVolume),
                strideAtMost("Conv", 256),
                dilationAtMost("Conv", 16),
                dilationNeedsUnitStride("Conv"),
                kernelAtMost("ConvTranspose", 14),
                channelsAtMost("ConvTranspose", 2048),
                strideAtMost("ConvTranspose", 14),
                dilationAtMost("ConvTranspose", 1),
                kernelAtMost("MaxPool", 256),
                strideAtMost("MaxPool", 256),
                dilationAtMost("MaxPool", 1),
                kernelAtMost("AveragePool", 256),
                strideAtMost("AveragePool", 256),
                inputSpatialAtMost("GlobalMaxPool", 256),
                axisNotBatch("Concat"),
                matrixDimsAtMost("MatMul", 8192),
                reduceOneAxisKept("ReduceMax"),
                reduceOneAxisKept("ReduceMean"),
                reduceOneAxisKept("ReduceSum"),
                resizeOnlyHW("Resize"),
                resizeNearestFactors("Resize"),
                attrEquals("DepthToSpace", "blocksize", 2),
                attrEquals("SpaceToDepth", "blocksize", 2));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
