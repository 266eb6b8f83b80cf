package dev.kiln.core.ops;

/** The operator list: one line per operator class. */
final class Ops {
    private Ops() {
    }

    static void registerAll(OpRegistry r) {
        r.add(new Add());
        r.add(new AveragePool());
        r.add(new Constant());
        r.add(new GlobalAveragePool());
        r.add(new GlobalMaxPool());
        r.add(new GridSample());
        r.add(new Identity());
        r.add(new LpPool());
        r.add(new MaxPool());
        r.add(new MaxUnpool());
        r.add(new Relu());
        r.add(new Resize());
        r.add(new RoiAlign());
        r.add(new Upsample());
    }
}
