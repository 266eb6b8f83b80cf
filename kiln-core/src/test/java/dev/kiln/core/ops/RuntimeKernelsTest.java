package dev.kiln.core.ops;

import dev.kiln.runtime.ops.KernelFactory;
import dev.kiln.runtime.ops.KernelTable;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The toolchain's operators and the runtime's kernel table agree: every runtime factory belongs to
 * a registered operator of the same type, which takes its kernels and opcode from it (so a compiled
 * model runs exactly the kernels the toolchain ran), and the operators still without a runtime
 * kernel are exactly the ones listed here.
 */
class RuntimeKernelsTest {
    /** Operators whose kernels only the toolchain has: compiled models cannot contain them. */
    private static final Set<String> TOOLCHAIN_ONLY = Set.of("If", "Loop", "Scan");

    /** Kernels not yet moved to the runtime ({@code dev.kiln.runtime.ops.elementwise}). */
    private static final Set<String> ELEMENTWISE_NOT_YET = Set.of();


    /** Kernels not yet moved to the runtime ({@code dev.kiln.runtime.ops.movement}). */
    private static final Set<String> MOVEMENT_NOT_YET = Set.of();


    /** Kernels not yet moved to the runtime ({@code dev.kiln.runtime.ops.norm}). */
    private static final Set<String> NORM_NOT_YET = Set.of();


    @Test
    void everyRuntimeFactoryBelongsToItsOperator() throws Exception {
        OpRegistry reg = OpRegistry.standard();
        for (KernelFactory f : KernelTable.all()) {
            Op op = reg.find("", f.opType());
            assertNotNull(op, "runtime kernel " + f.opType() + " has no operator class");
            assertEquals(f, op.kernels(), f.opType());
            assertEquals(f.opcode(), op.opcode(), f.opType() + " opcode");
            assertEquals(Op.class, op.getClass().getMethod("prepare", OpContext.class).getDeclaringClass(),
                    f.opType() + " must take its float kernel from the runtime factory");
            assertEquals(Op.class, op.getClass().getMethod("prepareInteger", OpContext.class,
                    dev.kiln.runtime.ops.IntegerParams.class).getDeclaringClass(),
                    f.opType() + " must take its integer kernel from the runtime factory");
        }
    }

    @Test
    void operatorsWithoutRuntimeKernelsAreListed() {
        Set<String> missing = new TreeSet<>();
        for (Op op : OpRegistry.standard().all()) {
            if (op.domain().isEmpty() && op.kernels() == null) {
                missing.add(op.type());
            }
        }
        Set<String> unexpected = new TreeSet<>(missing);
        unexpected.removeAll(TOOLCHAIN_ONLY);
        unexpected.removeAll(ELEMENTWISE_NOT_YET);
        unexpected.removeAll(MOVEMENT_NOT_YET);
        unexpected.removeAll(NORM_NOT_YET);
        assertTrue(unexpected.isEmpty(), "operators without a runtime kernel: " + unexpected);
    }
}
