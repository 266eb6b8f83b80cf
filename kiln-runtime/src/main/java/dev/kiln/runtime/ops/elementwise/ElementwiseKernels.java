package dev.kiln.runtime.ops.elementwise;

import dev.kiln.runtime.ops.KernelTable;

/** The kernels of one-input and two-input elementwise operators, Clip, Cast. */
public final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    /** One line per operator. */
    public static void registerAll(KernelTable.Registry r) {
        r.add(AbsKernel.INSTANCE);
        r.add(UnaryKernel.of("Acos", 129, Math::acos));
        r.add(UnaryKernel.of("Acosh", 134, ElementwiseMath::acosh));
        r.add(AddKernel.INSTANCE);
        r.add(new LogicalKernel("And", 50, (a, b) -> a & b));
        r.add(UnaryKernel.of("Asin", 128, Math::asin));
        r.add(UnaryKernel.of("Asinh", 133, ElementwiseMath::asinh));
        r.add(UnaryKernel.of("Atan", 130, Math::atan));
        r.add(UnaryKernel.of("Atanh", 135, ElementwiseMath::atanh));
        r.add(BitShiftKernel.INSTANCE);
        r.add(CastKernel.INSTANCE);
        r.add(CastLikeKernel.INSTANCE);
        r.add(UnaryKernel.of("Ceil", 32, Math::ceil));
        r.add(CeluKernel.INSTANCE);
        r.add(ClipKernel.INSTANCE);
        r.add(UnaryKernel.of("Cos", 126, Math::cos));
        r.add(UnaryKernel.of("Cosh", 132, Math::cosh));
        r.add(DivKernel.INSTANCE);
        r.add(EluKernel.INSTANCE);
        r.add(EqualKernel.INSTANCE);
        r.add(ErfKernel.INSTANCE);
        r.add(UnaryKernel.of("Exp", 24, Math::exp));
        r.add(UnaryKernel.of("Floor", 31, Math::floor));
        r.add(GeluKernel.INSTANCE);
        r.add(GreaterKernel.INSTANCE);
        r.add(GreaterOrEqualKernel.INSTANCE);
        r.add(HardSigmoidKernel.INSTANCE);
        r.add(HardSwishKernel.INSTANCE);
        r.add(IsInfKernel.INSTANCE);
        r.add(IsNaNKernel.INSTANCE);
        r.add(LeakyReluKernel.INSTANCE);
        r.add(LessKernel.INSTANCE);
        r.add(LessOrEqualKernel.INSTANCE);
        r.add(UnaryKernel.of("Log", 25, Math::log));
        r.add(MaxKernel.INSTANCE);
        r.add(MeanKernel.INSTANCE);
        r.add(MinKernel.INSTANCE);
        r.add(UnaryKernel.of("Mish", 23, x -> x * ElementwiseMath.tanh(ElementwiseMath.softplus(x))));
        r.add(ModKernel.INSTANCE);
        r.add(MulKernel.INSTANCE);
        r.add(NegKernel.INSTANCE);
        r.add(NotKernel.INSTANCE);
        r.add(new LogicalKernel("Or", 51, (a, b) -> a | b));
        r.add(PReluKernel.INSTANCE);
        r.add(PowKernel.INSTANCE);
        r.add(UnaryKernel.of("Reciprocal", 30, x -> 1 / x));
        r.add(ReluKernel.INSTANCE);
        r.add(UnaryKernel.of("Round", 33, Math::rint));
        r.add(SeluKernel.INSTANCE);
        r.add(ShrinkKernel.INSTANCE);
        r.add(SigmoidKernel.INSTANCE);
        r.add(SignKernel.INSTANCE);
        r.add(UnaryKernel.of("Sin", 125, Math::sin));
        r.add(UnaryKernel.of("Sinh", 131, Math::sinh));
        r.add(UnaryKernel.of("Softplus", 19, ElementwiseMath::softplus));
        r.add(UnaryKernel.of("Softsign", 20, x -> x / (1 + Math.abs(x))));
        r.add(UnaryKernel.of("Sqrt", 26, Math::sqrt));
        r.add(SubKernel.INSTANCE);
        r.add(SumKernel.INSTANCE);
        r.add(UnaryKernel.of("Tan", 127, Math::tan));
        r.add(TanhKernel.INSTANCE);
        r.add(ThresholdedReluKernel.INSTANCE);
        r.add(WhereKernel.INSTANCE);
        r.add(new LogicalKernel("Xor", 52, (a, b) -> a ^ b));
    }
}
