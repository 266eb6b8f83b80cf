package dev.kiln.core.calib;

import dev.kiln.core.ir.Model;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SampleConverterTest {
    private static Model model() {
        GraphBuilder b = new GraphBuilder("m", 13);
        b.input("img", DType.INT8, 1, 4);
        b.input("feat", DType.FLOAT, 1, 2);
        b.output(b.op("Identity", List.of(b.graph().inputs().get(1))));
        return b.build();
    }

    @Test
    void imagePixelsBecomeInt8MinusOneTwentyEight() {
        SampleConverter c = SampleConverter.defaultFor(model());
        Tensor u8 = Tensor.fromDoubles(DType.UINT8, new double[] {0, 127, 128, 255}, 1, 4);
        Tensor out = c.convert("img", u8);
        assertEquals(DType.INT8, out.dtype());
        assertArrayEquals(new byte[] {-128, -1, 0, 127}, out.bytes());
        // float pixels are rounded half to even, then saturated
        Tensor f = Tensor.of(new float[] {0.5f, 128.5f, 300f, -4f}, 1, 4);
        assertArrayEquals(new byte[] {-128, 0, 127, -128}, c.convert("img", f).bytes());
    }

    @Test
    void featuremapsStayFloatAndUnknownInputsAreUnchanged() {
        SampleConverter c = SampleConverter.defaultFor(model());
        Tensor f = Tensor.of(new float[] {1.25f, -3f}, 1, 2);
        assertSame(f, c.convert("feat", f));
        Tensor u8 = Tensor.fromDoubles(DType.UINT8, new double[] {3, 200}, 1, 2);
        Tensor asFloat = c.convert("feat", u8);
        assertEquals(DType.FLOAT, asFloat.dtype());
        assertArrayEquals(new float[] {3, 200}, asFloat.floats());
        assertSame(u8, c.convert("other", u8));
    }
}
