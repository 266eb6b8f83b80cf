package dev.kiln.core.ops;

import dev.kiln.core.KilnException;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What an {@link Op} sees of its node while inferring types or preparing a kernel: attributes,
 * the opset in force, input types and the values of constant inputs. During inference it also
 * collects the output types (and output values when the op can compute them statically).
 */
public final class OpContext implements dev.kiln.runtime.ops.KernelContext {
    private final Node node;
    private final int opset;
    private final Map<Value, Tensor> constants;
    private final TensorType[] outputTypes;
    private final Tensor[] outputConstants;
    private final BiFunction<Graph, List<TensorType>, List<TensorType>> subgraphInference;

    /**
     * @param constants known constant values (initializers, Constant outputs, folded shapes)
     * @param subgraphInference infers a subgraph's output types from its input types, or null
     */
    public OpContext(Node node, int opset, Map<Value, Tensor> constants,
                     BiFunction<Graph, List<TensorType>, List<TensorType>> subgraphInference) {
        this.node = node;
        this.opset = opset;
        this.constants = constants;
        this.outputTypes = new TensorType[node.outputs().size()];
        this.outputConstants = new Tensor[node.outputs().size()];
        this.subgraphInference = subgraphInference;
    }

    public Node node() {
        return node;
    }

    @Override
    public String name() {
        return node.name();
    }

    @Override
    public String opType() {
        return node.opType();
    }

    public Attributes attrs() {
        return node.attrs();
    }

    /** The opset version of the node's domain that the model imports. */
    public int opset() {
        return opset;
    }

    public int inputCount() {
        return node.inputCount();
    }

    public boolean hasInput(int i) {
        return node.hasInput(i);
    }

    public int outputCount() {
        return node.outputs().size();
    }

    /** True when output i exists and is not an omitted optional output. */
    public boolean hasOutput(int i) {
        return node.output(i) != null;
    }

    /** Input i's type; unknown for an omitted input. */
    public TensorType inputType(int i) {
        Value v = node.input(i);
        return v == null ? TensorType.unknown() : v.type();
    }

    /** Input i's element type, or null when unknown. */
    public DType inputDtype(int i) {
        return inputType(i).dtype();
    }

    /** Input i's shape with -1 for unknown dimensions, or null when even the rank is unknown. */
    public int[] inputShape(int i) {
        return inputType(i).shapeOrUnknown();
    }

    /** The value of input i when it is known before running (an initializer, a Constant...), else null. */
    public Tensor constant(int i) {
        Value v = node.input(i);
        return v == null || constants == null ? null : constants.get(v);
    }

    public void setOutput(int i, TensorType t) {
        if (i < outputTypes.length) {
            outputTypes[i] = t;
        }
    }

    /** Sets output i's type from an element type and a shape (-1 = unknown dim, null = unknown rank). */
    public void setOutput(int i, DType dtype, int[] shape) {
        setOutput(i, shape == null ? TensorType.unranked(dtype) : TensorType.of(dtype, shape));
    }

    /** Output i is the given dims (for symbolic dims carried over from inputs). */
    public void setOutput(int i, DType dtype, Dim[] dims) {
        setOutput(i, new TensorType(dtype, dims));
    }

    /** Output i is known before running; also sets its type. */
    public void setOutputConstant(int i, Tensor t) {
        if (i < outputTypes.length) {
            outputConstants[i] = t;
            outputTypes[i] = TensorType.of(t.dtype(), t.shape());
        }
    }

    public TensorType outputType(int i) {
        return outputTypes[i];
    }

    public Tensor outputConstant(int i) {
        return outputConstants[i];
    }

    /** Output types of a subgraph given its input types (for If/Loop inference); null if unavailable. */
    public List<TensorType> inferSubgraph(Graph g, List<TensorType> inputTypes) {
        return subgraphInference == null ? null : subgraphInference.apply(g, inputTypes);
    }

    /** An error naming this node, its op type and what is wrong. */
    public KilnException error(String message) {
        return new KilnException("node '" + node.name() + "' (" + node.opType() + "): " + message);
    }
}
