package dev.kiln.runtime.ops.movement;

import dev.kiln.runtime.ops.KernelFactory;

/** A kernel factory of this family: its op type and opcode, fixed at construction. */
abstract class NamedFactory implements KernelFactory {
    private final String opType;
    private final int opcode;

    NamedFactory(String opType, int opcode) {
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
