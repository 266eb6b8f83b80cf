package dev.kiln.core.ops;

/** The operator list: one line per operator class. */
final class Ops {
    private Ops() {
    }

    static void registerAll(OpRegistry r) {
        r.add(new Abs());
        r.add(new Acos());
        r.add(new Acosh());
        r.add(new Add());
        r.add(new And());
        r.add(new Asin());
        r.add(new Asinh());
        r.add(new Atan());
        r.add(new Atanh());
        r.add(new BitShift());
        r.add(new Cast());
        r.add(new CastLike());
        r.add(new Ceil());
        r.add(new Celu());
        r.add(new Clip());
        r.add(new Constant());
        r.add(new Cos());
        r.add(new Cosh());
        r.add(new Div());
        r.add(new Dropout());
        r.add(new Elu());
        r.add(new Equal());
        r.add(new Erf());
        r.add(new Exp());
        r.add(new Floor());
        r.add(new Gelu());
        r.add(new Greater());
        r.add(new GreaterOrEqual());
        r.add(new HardSigmoid());
        r.add(new HardSwish());
        r.add(new Identity());
        r.add(new IsInf());
        r.add(new IsNaN());
        r.add(new LeakyRelu());
        r.add(new Less());
        r.add(new LessOrEqual());
        r.add(new Log());
        r.add(new Max());
        r.add(new Mean());
        r.add(new Min());
        r.add(new Mish());
        r.add(new Mod());
        r.add(new Mul());
        r.add(new Neg());
        r.add(new Not());
        r.add(new Or());
        r.add(new PRelu());
        r.add(new Pow());
        r.add(new Reciprocal());
        r.add(new Relu());
        r.add(new Round());
        r.add(new Selu());
        r.add(new Shrink());
        r.add(new Sigmoid());
        r.add(new Sign());
        r.add(new Sin());
        r.add(new Sinh());
        r.add(new Softplus());
        r.add(new Softsign());
        r.add(new Sqrt());
        r.add(new Sub());
        r.add(new Sum());
        r.add(new Tan());
        r.add(new Tanh());
        r.add(new ThresholdedRelu());
        r.add(new Where());
        r.add(new Xor());
    }
}
