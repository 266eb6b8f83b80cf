package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.KernelTable;

/** The kernels of data movement, shape and indexing operators, QuantizeLinear and DequantizeLinear. */
public final class MovementKernels {
    private MovementKernels() {
    }

    /** One line per operator. */
    public static void registerAll(KernelTable.Registry r) {
        r.add(TransposeKernel.INSTANCE);
        r.add(ReshapeKernel.INSTANCE);
        r.add(FlattenKernel.INSTANCE);
        r.add(SqueezeKernel.INSTANCE);
        r.add(UnsqueezeKernel.INSTANCE);
        r.add(IdentityKernel.INSTANCE);
        r.add(DropoutKernel.INSTANCE);
        r.add(ConcatKernel.INSTANCE);
        r.add(SplitKernel.INSTANCE);
        r.add(SliceKernel.INSTANCE);
        r.add(PadKernel.INSTANCE);
        r.add(ExpandKernel.INSTANCE);
        r.add(TileKernel.INSTANCE);
        r.add(DepthToSpaceKernel.INSTANCE);
        r.add(SpaceToDepthKernel.INSTANCE);
        r.add(GatherKernel.INSTANCE);
        r.add(GatherElementsKernel.INSTANCE);
        r.add(GatherNDKernel.INSTANCE);
        r.add(ScatterKernel.INSTANCE);
        r.add(ScatterElementsKernel.INSTANCE);
        r.add(ScatterNDKernel.INSTANCE);
        r.add(ConstantKernel.INSTANCE);
        r.add(ConstantOfShapeKernel.INSTANCE);
        r.add(EyeLikeKernel.INSTANCE);
        r.add(RangeKernel.INSTANCE);
        r.add(ShapeKernel.INSTANCE);
        r.add(SizeKernel.INSTANCE);
        r.add(NonZeroKernel.INSTANCE);
        r.add(OneHotKernel.INSTANCE);
        r.add(CompressKernel.INSTANCE);
        r.add(ReverseSequenceKernel.INSTANCE);
        r.add(TriluKernel.INSTANCE);
    }
}
