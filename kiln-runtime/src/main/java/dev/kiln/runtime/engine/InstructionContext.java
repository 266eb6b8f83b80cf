package dev.kiln.runtime.engine;

import dev.kiln.runtime.KilnRuntimeException;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.bin.Instruction;
import dev.kiln.runtime.ops.AttrView;
import dev.kiln.runtime.ops.KernelContext;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

/** What a kernel factory sees of a compiled instruction: the same facts the toolchain gave it. */
final class InstructionContext implements KernelContext {
    private final Instruction in;
    private final CompiledModel model;

    InstructionContext(Instruction in, CompiledModel model) {
        this.in = in;
        this.model = model;
    }

    private dev.kiln.runtime.bin.KernelInput input(int i) {
        return i < in.view().size() ? in.view().get(i) : null;
    }

    @Override
    public String name() {
        return in.name();
    }

    @Override
    public String opType() {
        return in.opType();
    }

    @Override
    public int opset() {
        return in.opset();
    }

    @Override
    public AttrView attrs() {
        return in.attrs();
    }

    @Override
    public int inputCount() {
        return in.view().size();
    }

    @Override
    public boolean hasInput(int i) {
        dev.kiln.runtime.bin.KernelInput t = input(i);
        return t != null && t.present();
    }

    @Override
    public DType inputDtype(int i) {
        dev.kiln.runtime.bin.KernelInput t = input(i);
        return t == null ? null : t.dtype();
    }

    @Override
    public int[] inputShape(int i) {
        dev.kiln.runtime.bin.KernelInput t = input(i);
        return t == null || t.shape() == null ? null : t.shape().clone();
    }

    @Override
    public Tensor constant(int i) {
        dev.kiln.runtime.bin.KernelInput t = input(i);
        return t == null || t.constant() < 0 ? null : model.tensors().get(t.constant()).value();
    }

    @Override
    public int outputCount() {
        return in.outputs().length;
    }

    @Override
    public boolean hasOutput(int i) {
        return i < in.outputs().length && in.outputs()[i] >= 0;
    }

    @Override
    public RuntimeException error(String message) {
        return new KilnRuntimeException("node '" + in.name() + "' (" + in.opType() + "): " + message);
    }
}
