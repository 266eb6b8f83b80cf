package dev.kiln.core.calib;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.CalibrationParameters;
import dev.kiln.core.config.InputParameters;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the sample loader needs to know about one model input: its name, its training-side shape
 * (input_shape, in input_layout_train), its training colour space and layout (to decode images),
 * and where its samples are.
 *
 * @param shape      the training-side shape samples must have (a leading batch of 1 included)
 * @param typeTrain  input_type_train (featuremap inputs are never decoded as images)
 * @param layoutTrain input_layout_train (the layout decoded images are written in)
 * @param source     cal_data_dir of this input and its data type
 */
public record CalibrationInput(String name, int[] shape, InputType typeTrain, Layout layoutTrain,
                               CalibrationParameters.Source source) {
    public CalibrationInput {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Whether images may be decoded into this input (every type but featuremap). */
    public boolean isImage() {
        return typeTrain != InputType.FEATUREMAP;
    }

    /**
     * Pairs the configuration's inputs with their calibration sources, in input order. An input's
     * shape is its input_shape, or else the model's (from {@code modelShapes}, by input name).
     */
    public static List<CalibrationInput> of(InputParameters inputs, CalibrationParameters calibration,
                                            Map<String, int[]> modelShapes) {
        List<InputSpec> specs = inputs.inputs();
        List<CalibrationParameters.Source> sources = calibration.sources();
        if (specs.size() != sources.size()) {
            throw new KilnException("Key 'calibration_parameters.cal_data_dir' error: " + sources.size()
                    + " director" + (sources.size() == 1 ? "y" : "ies") + " given for " + specs.size() + " input"
                    + (specs.size() == 1 ? "" : "s") + " (one per input_name, separated by ';')");
        }
        List<CalibrationInput> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            InputSpec s = specs.get(i);
            int[] shape = s.shape() != null ? s.shape() : modelShapes.get(s.name());
            if (shape == null) {
                throw new KilnException("input '" + s.name() + "' has no static shape: give input_shape in input_parameters");
            }
            out.add(new CalibrationInput(s.name(), shape, s.typeTrain(), s.layoutTrain(), sources.get(i)));
        }
        return out;
    }

    /** A shape as the configuration writes it: 1x3x224x224. */
    static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? "x" : "").append(shape[i]);
        }
        return sb.length() == 0 ? "scalar" : sb.toString();
    }
}
