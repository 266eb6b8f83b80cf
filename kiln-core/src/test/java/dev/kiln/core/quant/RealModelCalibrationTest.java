package dev.kiln.core.quant;

import dev.kiln.core.calib.CalibrationData;
import dev.kiln.core.calib.CalibrationInput;
import dev.kiln.core.calib.CalibrationSamples;
import dev.kiln.core.config.CalibrationParameters.CalibrationType;
import dev.kiln.core.config.CalibrationParameters.DataType;
import dev.kiln.core.config.CalibrationParameters.Source;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.InputParameters.Layout;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.TestData;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calibration of the real UltraFace detector on real face photos decoded with preprocess_on. */
class RealModelCalibrationTest {
    @Test
    void ultraFaceFromPhotos() {
        Model m = OnnxImporter.load(TestData.require("models/ultraface/onnx/version-RFB-320_without_postprocessing.onnx"));
        String input = m.graph().inputs().get(0).name();
        CalibrationInput in = new CalibrationInput(input, new int[] {1, 3, 240, 320}, InputType.RGB, Layout.NCHW,
                new Source(TestData.require("images/faces"), DataType.FLOAT32));
        // the model has no preprocessing subgraph: apply its (x - 127) / 128 here
        CalibrationSamples samples = CalibrationData.open(List.of(in), true).limit(3).converted((name, t) -> {
            float[] f = t.floats();
            Tensor out = Tensor.allocate(t.dtype(), t.shape());
            for (int i = 0; i < t.size(); i++) {
                out.floats()[i] = (f[i] - 127f) / 128f;
            }
            return out;
        });
        ActivationStats stats = ActivationStats.collect(m, samples, new ActivationStats.Options(2, true, null),
                ProgressSink.NONE);
        assertEquals(3, stats.samples());
        assertTrue(stats.tensors().size() > 50, "tensors: " + stats.tensors().size());
        CalibrationTable max = new MaxCalibrator().calibrate(stats, true);
        CalibrationTable kl = new KlCalibrator().calibrate(stats, true);
        int clipped = 0;
        for (String n : stats.tensors().keySet()) {
            float tk = kl.get(n).threshold();
            float tm = max.get(n).threshold();
            assertTrue(tk > 0 && tk <= tm, n + ": kl " + tk + ", max " + tm);
            if (tk < 0.9f * tm) {
                clipped++;
            }
        }
        assertTrue(clipped > stats.tensors().size() / 4, clipped + " of " + stats.tensors().size() + " clipped by kl");
        assertEquals(1f, max.get(input).threshold(), 1f / 128);
    }
}
