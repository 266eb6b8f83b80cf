package dev.kiln.runtime.ops;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every operator kernel the runtime has, by opcode. Each family of operators registers its
 * factories in one place ({@code registerAll} of the family class); an opcode registered twice is
 * a programming error caught at class initialisation.
 */
public final class KernelTable {
    private static final Map<Integer, KernelFactory> BY_OPCODE;
    private static final Map<String, KernelFactory> BY_TYPE;

    static {
        Registry r = new Registry();
        dev.kiln.runtime.ops.elementwise.ElementwiseKernels.registerAll(r);
        dev.kiln.runtime.ops.movement.MovementKernels.registerAll(r);
        dev.kiln.runtime.ops.nn.NnKernels.registerAll(r);
        dev.kiln.runtime.ops.norm.NormKernels.registerAll(r);
        BY_OPCODE = Collections.unmodifiableMap(r.map);
        BY_TYPE = Collections.unmodifiableMap(r.byType);
    }

    private KernelTable() {
    }

    /** Collects factories during class initialisation. */
    public static final class Registry {
        private final Map<Integer, KernelFactory> map = new TreeMap<>();
        private final Map<String, KernelFactory> byType = new TreeMap<>();

        Registry() {
        }

        public void add(KernelFactory f) {
            KernelFactory old = map.putIfAbsent(f.opcode(), f);
            if (old != null) {
                throw new IllegalStateException("opcode " + f.opcode() + " registered by both " + old.opType() + " and "
                        + f.opType());
            }
            if (byType.putIfAbsent(f.opType(), f) != null) {
                throw new IllegalStateException("op type " + f.opType() + " registered twice");
            }
        }
    }

    /** The factory of an opcode, or null when the runtime has no kernel for it. */
    public static KernelFactory find(int opcode) {
        return BY_OPCODE.get(opcode);
    }

    /** The factory of an ONNX op type (default domain), or null. */
    public static KernelFactory find(String opType) {
        return BY_TYPE.get(opType);
    }

    public static Collection<KernelFactory> all() {
        return BY_OPCODE.values();
    }
}
