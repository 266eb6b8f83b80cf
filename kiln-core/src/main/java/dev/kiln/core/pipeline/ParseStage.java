package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.InputParameters;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.ModelParameters;
import dev.kiln.core.ir.Dim;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.IrVerifier;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Node;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.core.ops.TypeInference;
import dev.kiln.runtime.tensor.DType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parse stage of makertbin: turns the loaded float model into the model of
 * {@code <prefix>_original_float_model.onnx} (SPEC sections 1, 3 and 4).
 *
 * <ol>
 * <li>Each input_parameters entry is matched to a model input: input_name "" means the model's only
 *     input; every model input must be configured.</li>
 * <li>output_nodes (node names, whose outputs are taken, or value names) replace the model outputs;
 *     nodes and initializers no output depends on any more are dropped.</li>
 * <li>input_shape replaces the input's shape. Without it the model's shape is used and must be static,
 *     except a dynamic first (batch) dimension, which is taken as 1.</li>
 * <li>Each image input gets its preprocessing subgraph ({@link InsertPreprocess}); featuremaps stay
 *     float32 and untouched.</li>
 * <li>Types are inferred again from the new input shapes, and the IR is verified.</li>
 * </ol>
 *
 * <p>Decisions where the specification is silent:
 * <ul>
 * <li>The original float model's int8 input keeps input_layout_train. The Horizon chapter says the
 *     original, calibrated and quantized models keep the source model's input layout, and that only
 *     the quantized model's input is NHWC when input_type_rt is nv12; so the layout step of the
 *     subgraph is empty here, and a later stage that wants the NHWC nv12 input passes
 *     {@code Layout.NHWC} to {@link InsertPreprocess#apply}, which then adds the Transpose.</li>
 * <li>input_batch does not touch the ONNX artefacts; an input_shape whose first dimension is not 1
 *     is kept as given (it is the user's explicit shape).</li>
 * <li>output_nodes: a name is looked up as a node name first (all its outputs become model outputs,
 *     in order), then as a value name.</li>
 * <li>A featuremap input with a norm_type other than no_preprocess is an error (no preprocessing
 *     is inserted for it, so the values would be silently ignored).</li>
 * <li>Image inputs must be float32 rank-4 tensors whose channel axis (by input_layout_train) holds
 *     the channels of input_type_train; nv12 and yuv444 inputs need even H and W.</li>
 * </ul>
 * The model is changed in place and returned in the result.
 */
public final class ParseStage {
    /** The original float model and the input specs with their names and (training-layout) shapes resolved. */
    public record Result(Model model, List<InputSpec> inputs) {
    }

    private ParseStage() {
    }

    public static Result run(Model model, InputParameters inputs, ModelParameters params) {
        return run(model, inputs, params == null ? List.of() : params.outputNodes());
    }

    public static Result run(Model model, InputParameters inputs, List<String> outputNodes) {
        Graph g = model.graph();
        Map<Value, InputSpec> specs = matchInputs(g, inputs.inputs());
        setOutputs(g, outputNodes == null ? List.of() : outputNodes);
        List<InputSpec> resolved = new ArrayList<>();
        for (Map.Entry<Value, InputSpec> e : specs.entrySet()) {
            Value in = e.getKey();
            InputSpecs.check(InputSpecs.resolved(e.getValue(), in.name(), e.getValue().shape()));
            InputSpec s = InputSpecs.resolved(e.getValue(), in.name(), fixShape(in, e.getValue()));
            if (InputSpecs.isImage(s)) {
                checkImageInput(in, s);
            }
            resolved.add(s);
        }
        for (int i = 0; i < resolved.size(); i++) {
            InputSpec s = resolved.get(i);
            if (InputSpecs.isImage(s)) {
                InsertPreprocess.apply(g, g.localValue(s.name()), s, s.layoutTrain());
            }
            model.metadata().put("kiln.input." + s.name(), InputSpecs.describe(s));
        }
        inferTypes(model, resolved);
        IrVerifier.verify(g);
        return new Result(model, Collections.unmodifiableList(resolved));
    }

    /** Pairs each configured input with the model input it names, in input_name order. */
    static Map<Value, InputSpec> matchInputs(Graph g, List<InputSpec> specs) {
        List<Value> modelInputs = g.inputs();
        List<String> names = new ArrayList<>();
        for (Value v : modelInputs) {
            names.add(v.name());
        }
        if (specs == null || specs.isEmpty()) {
            throw new KilnException("input_parameters: no input is configured; the model's inputs are " + names);
        }
        Map<Value, InputSpec> out = new LinkedHashMap<>();
        for (InputSpec s : specs) {
            String name = s.name() == null ? "" : s.name();
            Value v;
            if (name.isEmpty()) {
                if (specs.size() > 1 || modelInputs.size() != 1) {
                    throw new KilnException("input_parameters.input_name is empty, which names the model's only input, but "
                            + (specs.size() > 1 ? specs.size() + " inputs are configured" : "the model has "
                            + modelInputs.size() + " inputs " + names) + "; give every input's name");
                }
                v = modelInputs.get(0);
            } else {
                v = g.localValue(name);
                if (v == null || !modelInputs.contains(v)) {
                    throw new KilnException("input_parameters.input_name: the model has no input '" + name
                            + "'; its inputs are " + names);
                }
            }
            if (out.containsKey(v)) {
                throw new KilnException("input_parameters.input_name: input '" + v.name() + "' is configured twice");
            }
            out.put(v, s);
        }
        for (Value v : modelInputs) {
            if (!out.containsKey(v)) {
                List<String> configured = new ArrayList<>();
                for (Value c : out.keySet()) {
                    configured.add(c.name());
                }
                throw new KilnException("input_parameters.input_name: model input '" + v.name()
                        + "' is not configured (configured: " + configured + "; the model's inputs are " + names + ")");
            }
        }
        return out;
    }

    /** output_nodes become the graph outputs; what no output needs any more is removed. */
    static void setOutputs(Graph g, List<String> outputNodes) {
        if (outputNodes.isEmpty()) {
            return;
        }
        List<Value> outs = new ArrayList<>();
        for (String name : outputNodes) {
            Node n = g.findNode(name);
            List<Value> found = new ArrayList<>();
            if (n != null) {
                for (Value o : n.outputs()) {
                    if (o != null) {
                        found.add(o);
                    }
                }
            } else if (g.localValue(name) != null) {
                found.add(g.localValue(name));
            } else {
                throw new KilnException("model_parameters.output_nodes: '" + name
                        + "' is neither a node nor a value of the model");
            }
            for (Value v : found) {
                if (!outs.contains(v)) {
                    outs.add(v);
                }
            }
        }
        g.clearOutputs();
        for (Value v : outs) {
            g.addOutput(v);
        }
        List<Node> dead = g.deadNodes();
        Collections.reverse(dead);
        for (Node n : dead) {
            g.removeNode(n);
        }
        for (Value init : g.initializers()) {
            if (init.uses().isEmpty() && !g.outputs().contains(init)) {
                g.removeInitializer(init);
            }
        }
    }

    /** Sets the input's static shape (input_shape, or the model's with a dynamic batch as 1); returns it. */
    static int[] fixShape(Value in, InputSpec s) {
        TensorType declared = in.type();
        String who = "input '" + in.name() + "'";
        int[] shape;
        if (s.shape() != null && s.shape().length > 0) {
            shape = s.shape().clone();
            for (int d : shape) {
                if (d <= 0) {
                    throw new KilnException("input_parameters.input_shape of " + who + ": " + InputSpecs.shapeString(shape)
                            + " has a dimension that is not positive");
                }
            }
            if (declared.hasRank() && declared.rank() != shape.length) {
                throw new KilnException("input_parameters.input_shape of " + who + " is " + InputSpecs.shapeString(shape)
                        + " (rank " + shape.length + "), but the model's input is " + declared + " (rank "
                        + declared.rank() + ")");
            }
        } else {
            if (!declared.hasRank()) {
                throw new KilnException(who + " has no declared shape; give input_parameters.input_shape");
            }
            shape = new int[declared.rank()];
            List<Integer> dynamic = new ArrayList<>();
            for (int i = 0; i < shape.length; i++) {
                Dim d = declared.dim(i);
                if (d.isKnown()) {
                    shape[i] = (int) d.value();
                } else if (i == 0) {
                    shape[i] = 1;
                } else {
                    dynamic.add(i);
                }
            }
            if (!dynamic.isEmpty()) {
                throw new KilnException(who + " has dynamic dimensions " + declared + " (axes " + dynamic
                        + "); give input_parameters.input_shape, e.g. " + example(declared));
            }
        }
        DType dtype = declared.dtype() == null ? DType.FLOAT : declared.dtype();
        in.setType(TensorType.of(dtype, shape));
        return shape;
    }

    private static String example(TensorType t) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.rank(); i++) {
            Dim d = t.dim(i);
            b.append(i == 0 ? "" : "x").append(d.isKnown() ? String.valueOf(d.value()) : i == 0 ? "1" : "224");
        }
        return b.toString();
    }

    private static void checkImageInput(Value in, InputSpec s) {
        String who = "input '" + in.name() + "'";
        int[] shape = s.shape();
        if (in.type().dtype() != DType.FLOAT) {
            throw new KilnException(who + " is " + in.type() + "; an image input (input_type_rt " + s.typeRt().key()
                    + ") must be float32 in the model");
        }
        if (shape.length != 4) {
            throw new KilnException(who + " has shape " + InputSpecs.shapeString(shape) + "; an image input (input_type_rt "
                    + s.typeRt().key() + ") must have rank 4 (" + s.layoutTrain() + ")");
        }
        int axis = InputSpecs.channelAxis(s.layoutTrain());
        int want = s.typeTrain().channels();
        if (shape[axis] != want) {
            throw new KilnException(who + " has shape " + InputSpecs.shapeString(shape) + " with " + shape[axis]
                    + " channel(s) on axis " + axis + " (input_layout_train " + s.layoutTrain() + "), but input_type_train "
                    + s.typeTrain().key() + " has " + want + "; check input_type_train and input_layout_train");
        }
        if (s.typeRt() == InputType.NV12 || s.typeRt() == InputType.YUV444) {
            int h = s.layoutTrain() == InputParameters.Layout.NCHW ? shape[2] : shape[1];
            int w = s.layoutTrain() == InputParameters.Layout.NCHW ? shape[3] : shape[2];
            if (h % 2 != 0 || w % 2 != 0) {
                throw new KilnException(who + ": input_type_rt " + s.typeRt().key() + " needs an even height and width, but "
                        + "the input is " + h + "x" + w);
            }
        }
    }

    /** Forgets every inferred node-output shape (they follow the old input shapes) and infers again. */
    private static void inferTypes(Model model, List<InputSpec> inputs) {
        resetTypes(model.graph());
        try {
            TypeInference.run(model);
        } catch (KilnException e) {
            StringBuilder shapes = new StringBuilder();
            for (InputSpec s : inputs) {
                shapes.append(shapes.length() == 0 ? "" : ", ").append(s.name()).append(' ')
                        .append(InputSpecs.shapeString(s.shape()));
            }
            throw new KilnException("the model does not accept the input shape(s) " + shapes + ": " + e.getMessage(), e);
        }
    }

    private static void resetTypes(Graph g) {
        for (Node n : g.nodes()) {
            for (Value o : n.outputs()) {
                if (o != null) {
                    o.setType(TensorType.unranked(o.type().dtype()));
                }
            }
            for (Graph sub : n.subgraphs()) {
                resetTypes(sub);
            }
        }
    }
}
