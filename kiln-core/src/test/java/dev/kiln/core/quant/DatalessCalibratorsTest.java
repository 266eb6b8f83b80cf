package dev.kiln.core.quant;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.CalibrationParameters.CalibrationType;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** load and skip: thresholds without calibration data. */
class DatalessCalibratorsTest {
    /**
     * x -> Q(0.02, int8 0) -> DQ -> Conv(DQ(int8 weights, per-channel scales)) -> Q(0.1, uint8 128) -> DQ -> y.
     */
    private static Model qdqModel() {
        GraphBuilder b = new GraphBuilder("qat", 13);
        Value x = b.input("x", DType.FLOAT, 1, 2, 4, 4);
        Value s1 = b.floats("s1", 0.02f);
        Value z1 = b.constant("z1", Tensor.fromDoubles(DType.INT8, new double[] {0}));
        Value q1 = b.op("QuantizeLinear", List.of(x, s1, z1));
        Value d1 = b.op("DequantizeLinear", List.of(q1, s1, z1));
        Value w = b.constant("w", Tensor.fromDoubles(DType.INT8, new double[] {1, -2, 3, 4, -5, 6}, 3, 2, 1, 1));
        Value ws = b.floats("ws", 0.01f, 0.02f, 0.03f);
        Value wz = b.constant("wz", Tensor.fromDoubles(DType.INT8, new double[] {0, 0, 0}, 3));
        Value wd = b.op("DequantizeLinear", List.of(w, ws, wz), GraphBuilder.i("axis", 0));
        Value c = b.op("Conv", List.of(d1, wd));
        Value s2 = b.floats("s2", 0.1f);
        Value z2 = b.constant("z2", Tensor.fromDoubles(DType.UINT8, new double[] {128}));
        Value q2 = b.op("QuantizeLinear", List.of(c, s2, z2));
        Value d2 = b.op("DequantizeLinear", List.of(q2, s2, z2));
        b.output(d2);
        return b.build();
    }

    @Test
    void loadTakesThresholdsFromTheQuantizationNodes() {
        Model m = qdqModel();
        new Executor(m, 1); // the model is valid
        CalibrationTable t = LoadCalibrator.calibrate(m);
        assertEquals("load", t.method());
        assertEquals(List.of("x", "dequantizelinear_out", "conv_out", "dequantizelinear_out_2"),
                new ArrayList<>(t.entries().keySet()));
        assertEquals(2.54f, t.get("x").threshold(), 1e-6);
        assertEquals(-2.56f, t.get("x").min(), 1e-6);
        assertEquals(2.54f, t.get("x").max(), 1e-6);
        assertEquals(2.54f, t.get("dequantizelinear_out").threshold(), 1e-6);
        // uint8 with zero point 128: the grid is [-12.8, 12.7], symmetric threshold 127 * 0.1
        assertEquals(12.7f, t.get("conv_out").threshold(), 1e-5);
        assertEquals(-12.8f, t.get("conv_out").min(), 1e-5);
        assertEquals(12.7f, t.get("dequantizelinear_out_2").threshold(), 1e-5);
        assertEquals("load", t.get("conv_out").method());
    }

    @Test
    void loadWithoutQuantizationNodesIsAnError() {
        KilnException e = assertThrows(KilnException.class, () -> LoadCalibrator.calibrate(CalibFixtures.convModel()));
        assertEquals("calibration_type load: the model has no QuantizeLinear or DequantizeLinear node on an activation"
                + " to take thresholds from (load is for quantization-aware trained models; use default, kl or max with"
                + " calibration data)", e.getMessage());
    }

    @Test
    void loadOfAnUnsignedGridFromZero() {
        GraphBuilder b = new GraphBuilder("u8", 13);
        Value x = b.input("x", DType.FLOAT, 4);
        Value s = b.floats("s", 0.5f);
        Value q = b.op("QuantizeLinear", List.of(x, s));
        b.output(b.op("DequantizeLinear", List.of(q, s)));
        CalibrationTable t = LoadCalibrator.calibrate(b.build());
        // uint8, zero point 0: [0, 127.5]
        assertEquals(127.5f, t.get("x").threshold());
        assertEquals(0f, t.get("x").min());
    }

    @Test
    void skipGivesEveryFloatActivationTheFixedThreshold() {
        Model m = CalibFixtures.convModel();
        List<String> log = new ArrayList<>();
        Calibration.Result r = Calibration.run(m, CalibrationSettings.of(CalibrationType.SKIP), null, null, log::add,
                ProgressSink.NONE, null);
        assertEquals(SkipCalibrator.WARNING, r.warning());
        assertTrue(r.warning().contains("accuracy of the converted model is meaningless"));
        CalibrationTable t = r.table();
        assertEquals("skip", t.method());
        assertEquals(List.of("x", "conv_out", "relu_out", "conv_out_1", "mul_out", "cast_out_1"),
                new ArrayList<>(t.entries().keySet()));
        for (CalibrationTable.Entry e : t.entries().values()) {
            assertEquals(SkipCalibrator.THRESHOLD, e.threshold());
        }
    }

    @Test
    void loadThroughTheEntryPointNeedsNoSamples() {
        List<String> log = new ArrayList<>();
        Calibration.Result r = Calibration.run(qdqModel(), CalibrationSettings.of(CalibrationType.LOAD), null, null,
                log::add, ProgressSink.NONE, null);
        assertNull(r.warning());
        assertEquals(4, r.table().entries().size());
        assertEquals(List.of("Thresholds of 4 tensors loaded from the model's quantization nodes."), log);
    }
}
