package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.DoubleUnaryOperator;

import static dev.kiln.core.io.caffe.CaffeRef.assertClose;
import static dev.kiln.core.io.caffe.CaffeRef.input;
import static dev.kiln.core.io.caffe.CaffeRef.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Activations, elementwise math, Eltwise and Softmax against Caffe's formulas. */
class CaffeActivationLayersTest {
    private static final int[] SHAPE = {2, 3, 5, 7};

    private static CaffeNets layer(String type, String param) {
        return CaffeNets.of(input("data", SHAPE) + "layer { name: \"act\" type: \"" + type + "\" bottom: \"data\" top: \"y\" "
                + param + " }");
    }

    private static void check(String type, String param, Tensor x, DoubleUnaryOperator f) {
        double[] ref = new double[x.size()];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = f.applyAsDouble(x.floats()[i]);
        }
        assertClose(ref, x.shape(), layer(type, param).run("data", x).get("y"));
    }

    @Test
    void activationsWithoutParameters() {
        Tensor x = random(1, -4f, 4f, SHAPE);
        check("Sigmoid", "", x, v -> 1 / (1 + Math.exp(-v)));
        check("TanH", "", x, Math::tanh);
        check("AbsVal", "", x, Math::abs);
        check("BNLL", "", x, v -> v > 0 ? v + Math.log(1 + Math.exp(-v)) : Math.log(1 + Math.exp(v)));
        check("ReLU6", "", Tensor.of(scaled(x, 2), SHAPE), v -> Math.min(Math.max(v, 0), 6));
        check("ELU", "elu_param { alpha: 0.7 }", x, v -> v > 0 ? v : 0.7 * (Math.exp(v) - 1));
        check("Threshold", "threshold_param { threshold: 0.25 }", x, v -> v > 0.25 ? 1 : 0);
    }

    private static float[] scaled(Tensor x, float k) {
        float[] f = x.floats().clone();
        for (int i = 0; i < f.length; i++) {
            f[i] *= k;
        }
        return f;
    }

    @Test
    void preluPerChannelAndShared() {
        Tensor x = random(2, SHAPE);
        Tensor slope = random(3, 3);
        double[] ref = new double[x.size()];
        for (int i = 0; i < ref.length; i++) {
            float v = x.floats()[i];
            ref[i] = v > 0 ? v : v * slope.floats()[i / 35 % 3];
        }
        assertClose(ref, SHAPE, layer("PReLU", "").blob("act", slope).run("data", x).get("y"));
        Tensor one = Tensor.of(new float[] {0.2f}, 1);
        Tensor shared = layer("PReLU", "prelu_param { channel_shared: true }").blob("act", one).run("data", x).get("y");
        for (int i = 0; i < x.size(); i++) {
            float v = x.floats()[i];
            assertEquals(v > 0 ? v : 0.2f * v, shared.floats()[i], 1e-6);
        }
    }

    @Test
    void powerExpAndLogWithScaleShiftAndBase() {
        Tensor x = random(4, 0.1f, 2f, SHAPE);
        check("Power", "power_param { power: 1.5 scale: 2 shift: 0.5 }", x, v -> Math.pow(0.5 + 2 * v, 1.5));
        check("Power", "power_param { power: 2 scale: -1 }", x, v -> v * v);
        check("Power", "power_param { shift: 3 }", x, v -> v + 3);
        check("Exp", "exp_param { scale: 0.5 shift: -1 }", x, v -> Math.exp(-1 + 0.5 * v));
        check("Exp", "exp_param { base: 2 scale: 3 shift: 0.25 }", x, v -> Math.pow(2, 0.25 + 3 * v));
        check("Log", "log_param { scale: 2 shift: 1 }", x, v -> Math.log(1 + 2 * v));
        check("Log", "log_param { base: 10 }", x, Math::log10);
        assertThrows(KilnException.class, () -> layer("Log", "log_param { base: 1 }").convert());
    }

    @Test
    void identityPowerAddsNoNodeAndItsTopStillEndsTheNetwork() {
        Tensor x = random(5, SHAPE);
        CaffeNets net = CaffeNets.of(input("data", SHAPE) + """
                layer { name: "t" type: "TanH" bottom: "data" top: "t" }
                layer { name: "p" type: "Power" bottom: "t" top: "y" }
                """);
        assertEquals(1, net.convert().graph().nodes().size());
        assertEquals("t", net.convert().graph().outputs().get(0).name());
        double[] ref = new double[x.size()];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = Math.tanh(x.floats()[i]);
        }
        assertClose(ref, SHAPE, net.run("data", x).get("t"));
    }

    @Test
    void softmaxAlongAnAxis() {
        Tensor x = random(6, -3f, 3f, SHAPE);
        double[] ref = new double[x.size()];
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int w = 0; w < 7; w++) {
                    double sum = 0;
                    for (int h = 0; h < 5; h++) {
                        sum += Math.exp(x.floats()[((n * 3 + c) * 5 + h) * 7 + w]);
                    }
                    for (int h = 0; h < 5; h++) {
                        int i = ((n * 3 + c) * 5 + h) * 7 + w;
                        ref[i] = Math.exp(x.floats()[i]) / sum;
                    }
                }
            }
        }
        assertClose(ref, SHAPE, layer("Softmax", "softmax_param { axis: -2 }").run("data", x).get("y"));
    }

    private static CaffeNets eltwise(String param) {
        return CaffeNets.of(input("a", SHAPE) + input("b", SHAPE) + input("c", SHAPE)
                + "layer { name: \"e\" type: \"Eltwise\" bottom: \"a\" bottom: \"b\" bottom: \"c\" top: \"y\" " + param + " }");
    }

    @Test
    void eltwiseSumWithCoefficientsProductAndMax() {
        Tensor a = random(7, SHAPE);
        Tensor b = random(8, SHAPE);
        Tensor c = random(9, SHAPE);
        Map<String, Tensor> in = Map.of("a", a, "b", b, "c", c);
        double[] sum = new double[a.size()];
        double[] prod = new double[a.size()];
        double[] max = new double[a.size()];
        for (int i = 0; i < sum.length; i++) {
            float x = a.floats()[i];
            float y = b.floats()[i];
            float z = c.floats()[i];
            sum[i] = 0.5 * x - y + z;
            prod[i] = (double) x * y * z;
            max[i] = Math.max(x, Math.max(y, z));
        }
        assertClose(sum, SHAPE, eltwise("eltwise_param { coeff: 0.5 coeff: -1 coeff: 1 }").run(in).get("y"));
        assertClose(prod, SHAPE, eltwise("eltwise_param { operation: PROD }").run(in).get("y"));
        assertClose(max, SHAPE, eltwise("eltwise_param { operation: MAX }").run(in).get("y"));
    }

    @Test
    void eltwiseNeedsOneCoefficientPerBottom() {
        KilnException e = assertThrows(KilnException.class, () -> eltwise("eltwise_param { coeff: 1 coeff: 2 }").convert());
        assertTrue(e.getMessage().contains("layer 'e' (Eltwise)") && e.getMessage().contains("2 coeff values for 3 bottoms"),
                e.getMessage());
        assertThrows(KilnException.class, () -> eltwise("eltwise_param { operation: MAX coeff: 1 coeff: 1 coeff: 1 }").convert());
    }
}
