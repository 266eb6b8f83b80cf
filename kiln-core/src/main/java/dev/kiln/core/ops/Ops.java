package dev.kiln.core.ops;

/** The operator list: one line per operator class. */
final class Ops {
    private Ops() {
    }

    static void registerAll(OpRegistry r) {
        r.add(new Add());
        r.add(new Constant());
        r.add(new GRU());
        r.add(new Identity());
        r.add(new If());
        r.add(new Loop());
        r.add(new LSTM());
        r.add(new Relu());
        r.add(new RNN());
        r.add(new Scan());
    }
}
