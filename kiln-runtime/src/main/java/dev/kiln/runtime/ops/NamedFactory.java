package dev.kiln.runtime.ops;

/** A kernel factory whose op type and opcode are fixed at construction. */
public abstract class NamedFactory implements KernelFactory {
    private final String opType;
    private final int opcode;

    protected NamedFactory(String opType, int opcode) {
        this.opType = opType;
        this.opcode = opcode;
    }

    @Override
    public final String opType() {
        return opType;
    }

    @Override
    public final int opcode() {
        return opcode;
    }
}
