package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.io.caffe.CaffeImporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.passes.UpgradeOpset;

import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the model a command was given, by --model-type: ONNX files are imported and upgraded to
 * opset 13; Caffe models (prototxt + caffemodel) are converted to the same IR. The parse stage of
 * makertbin and the checker both start here.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * @param model       the .onnx file, or the .caffemodel weights for Caffe
     * @param proto       the Caffe prototxt (null for ONNX)
     * @param inputShapes Caffe only: input shapes by input name ("" for the only input) that replace
     *                    the prototxt's before conversion; ONNX input shapes are fixed by the parse stage
     */
    public static Model load(ModelType type, Path model, Path proto, Map<String, int[]> inputShapes, RunLog log) {
        if (type == ModelType.CAFFE) {
            if (proto == null) {
                throw new KilnException("a Caffe model needs its prototxt beside the caffemodel " + model);
            }
            Model m = CaffeImporter.load(proto, model, inputShapes, log::warn);
            log.info("Model " + proto + " + " + (model == null ? "no weights" : model.getFileName()) + ": "
                    + m.graph().nodes().size() + " nodes after conversion to ONNX opset " + m.opset(""));
            return m;
        }
        Model m = OnnxImporter.load(model);
        log.info("Model " + model + ": " + m.graph().nodes().size() + " nodes, opset " + m.opset(""));
        UpgradeOpset.apply(m, log::info);
        return m;
    }
}
