package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.CalibrationParameters;
import dev.kiln.core.config.CompilerParameters;
import dev.kiln.core.config.Config;
import dev.kiln.core.config.InputParameters;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.March;
import dev.kiln.core.config.ModelParameters;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration of runs without a YAML file (makertbin --fast-perf, the checker): every model
 * input a float feature map (no preprocessing subgraph, as hb_mapper's checker assumes) of its own
 * shape or of the shape given on the command line, calibration_type skip, optimize level O3.
 */
final class FeatureMapConfig {
    private FeatureMapConfig() {
    }

    /**
     * @param m                  the loaded model (its inputs' names and shapes)
     * @param shapes             input shapes given on the command line, by input name
     * @param who                the command or option named in errors
     * @param batchDefaultsToOne a dynamic first dim becomes 1; otherwise every dynamic dim needs a given shape
     */
    static Config of(ModelType type, Path model, Path proto, Model m, March march, Map<String, int[]> shapes,
                     Path workingDir, String who, boolean batchDefaultsToOne) {
        List<String> names = new ArrayList<>();
        for (Value v : m.graph().inputs()) {
            names.add(v.name());
        }
        for (String name : shapes.keySet()) {
            if (!names.contains(name)) {
                throw new KilnException(who + ": --input-shape names '" + name + "', but the model's inputs are " + names);
            }
        }
        List<InputSpec> inputs = new ArrayList<>();
        for (Value v : m.graph().inputs()) {
            int[] shape = shapes.containsKey(v.name()) ? shapes.get(v.name()) : modelShape(v, who, batchDefaultsToOne);
            inputs.add(new InputSpec(v.name(), InputParameters.InputType.FEATUREMAP, null,
                    InputParameters.InputType.FEATUREMAP, null, InputParameters.ColorRange.REGULAR, shape, 1,
                    InputParameters.NormType.NO_PREPROCESS, null, null));
        }
        String stem = model.getFileName().toString().replaceFirst("\\.(onnx|caffemodel)$", "");
        boolean caffe = type == ModelType.CAFFE;
        ModelParameters mp = new ModelParameters(caffe ? null : model, caffe ? proto : null, caffe ? model : null, march,
                stem, workingDir, false, List.of(), List.of(), List.of(), Set.of(), Map.of());
        CalibrationParameters cp = new CalibrationParameters(List.of(), false, CalibrationParameters.CalibrationType.SKIP,
                1.0, true, List.of(), List.of(), Set.of());
        CompilerParameters cc = new CompilerParameters(CompilerParameters.CompileMode.LATENCY, false, 1,
                CompilerParameters.OptimizeLevel.O3, Map.of(), 0, 1);
        return new Config(model, mp, new InputParameters(inputs), cp, cc, null, List.of());
    }

    /** The model's own input shape, with dynamic dims refused (or a dynamic batch made 1). */
    private static int[] modelShape(Value v, String who, boolean batchDefaultsToOne) {
        int[] shape = v.type().shapeOrUnknown();
        if (shape == null) {
            throw new KilnException(who + ": input '" + v.name() + "' has an unknown shape; give it with --input-shape "
                    + v.name() + " 1x3x224x224 (or input_shape in a config file)");
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                if (i != 0 || !batchDefaultsToOne) {
                    throw new KilnException(who + ": input '" + v.name() + "' has dynamic dims " + Arrays.toString(shape)
                            + "; give its shape with --input-shape " + v.name() + " 1x3x224x224 (or input_shape in a"
                            + " config file)");
                }
                shape[i] = 1;
            }
        }
        return shape;
    }
}
