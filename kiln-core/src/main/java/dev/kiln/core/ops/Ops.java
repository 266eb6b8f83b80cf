package dev.kiln.core.ops;

/** The operator list: one line per operator class. */
final class Ops {
    private Ops() {
    }

    static void registerAll(OpRegistry r) {
        r.add(new Add());
        r.add(new Compress());
        r.add(new Concat());
        r.add(new Constant());
        r.add(new ConstantOfShape());
        r.add(new DepthToSpace());
        r.add(new Expand());
        r.add(new EyeLike());
        r.add(new Flatten());
        r.add(new Gather());
        r.add(new GatherElements());
        r.add(new GatherND());
        r.add(new Identity());
        r.add(new NonZero());
        r.add(new OneHot());
        r.add(new Pad());
        r.add(new Range());
        r.add(new Relu());
        r.add(new Reshape());
        r.add(new ReverseSequence());
        r.add(new Scatter());
        r.add(new ScatterElements());
        r.add(new ScatterND());
        r.add(new Shape());
        r.add(new Size());
        r.add(new Slice());
        r.add(new SpaceToDepth());
        r.add(new Split());
        r.add(new Squeeze());
        r.add(new Tile());
        r.add(new Transpose());
        r.add(new Trilu());
        r.add(new Unsqueeze());
    }
}
