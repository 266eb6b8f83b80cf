package dev.kiln.runtime.bin;

import dev.kiln.runtime.engine.BinPackage;
import dev.kiln.runtime.engine.Input;
import dev.kiln.runtime.engine.LoadedModel;
import dev.kiln.runtime.engine.Output;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The .bin encoding: decoding gives back what was encoded (and encoding that again gives the same
 * bytes); every single-byte corruption and every truncation of a small file is refused with a
 * {@link BinFormatException}; foreign files and newer format versions get their own messages.
 */
class BinCodecTest {
    /** A one-instruction model (Transpose of a 1x2x3 input) with a constant and every optional part. */
    static BinFile small() {
        List<TensorInfo> tensors = new ArrayList<>();
        tensors.add(new TensorInfo("x", DType.FLOAT, new int[] {1, 2, 3}, null, null));
        tensors.add(new TensorInfo("y", DType.FLOAT, new int[] {3, 2, 1}, null, null));
        tensors.add(new TensorInfo("w", DType.INT8, new int[] {2, 2},
                new Quant(new float[] {0.5f, 0.25f}, new long[] {0, 0}, 0),
                Tensor.wrap(DType.INT8, new int[] {2, 2}, new byte[] {1, -2, 3, -4})));
        Attrs attrs = new Attrs().put("perm", new long[] {2, 1, 0}).put("note", "t").put("alpha", 0.5f)
                .put("names", List.of("a", "b")).put("value", Tensor.of(new float[] {1.5f}, 1));
        Instruction t = new Instruction("transpose", "Transpose", 67, 13, "Transpose", -1, new int[] {0}, new int[] {1},
                attrs, null, null, List.of("transpose"),
                List.of(new KernelInput(true, DType.FLOAT, new int[] {1, 2, 3}, -1)));
        IoDescriptor in = new IoDescriptor("x", 0, IoDescriptor.TensorKind.F32, IoDescriptor.Layout.NONE,
                new int[] {1, 2, 3}, new int[] {1, 2, 3}, IoDescriptor.strides(new int[] {1, 2, 3}, 4), 24, null, null);
        IoDescriptor out = new IoDescriptor("y", 1, IoDescriptor.TensorKind.F32, IoDescriptor.Layout.NONE,
                new int[] {3, 2, 1}, new int[] {3, 2, 1}, IoDescriptor.strides(new int[] {3, 2, 1}, 4), 24, null, null);
        Map<String, String> build = new LinkedHashMap<>();
        build.put("optimize_level", "O2");
        build.put("core_num", "1");
        CompiledModel m = new CompiledModel("tiny", "model_parameters:\n  march: bernoulli2\n", build, tensors, List.of(t),
                List.of(in), List.of(out), List.of(new SubgraphInfo(0, new int[] {0}, 6, 4, 48, 0.5)),
                new MemoryPlan(new long[] {0, 64, -1}, 128, 128, true),
                List.of(new DeletedNode("dq", "DequantizeLinear", "y", "scale 0.5")),
                List.of(new NodeCost("transpose", 6, 48)), Map.of("transpose", 1));
        Map<String, String> info = new LinkedHashMap<>();
        info.put("writer", "test");
        return new BinFile(BinCodec.FORMAT_MAJOR, BinCodec.FORMAT_MINOR, info, List.of(m));
    }

    @Test
    void decodingGivesBackWhatWasEncoded() {
        byte[] bytes = BinCodec.encode(small());
        BinFile back = BinCodec.decode(ByteBuffer.wrap(bytes), "tiny.bin");
        assertArrayEquals(bytes, BinCodec.encode(back));
        CompiledModel m = back.models().get(0);
        assertEquals("tiny", m.name());
        assertArrayEquals(new byte[] {1, -2, 3, -4}, m.tensors().get(2).value().bytes());
        assertArrayEquals(new float[] {0.5f, 0.25f}, m.tensors().get(2).quant().scales());
        assertArrayEquals(new long[] {2, 1, 0}, m.instructions().get(0).attrs().getInts("perm", null));
        assertEquals(List.of("a", "b"), m.instructions().get(0).attrs().getStrings("names", null));
        assertEquals(1.5f, m.instructions().get(0).attrs().tensorValue("value").getFloat(0));
        assertEquals("scale 0.5", m.deleted().get(0).detail());
        assertEquals(128, m.plan().arenaBytes());
        assertEquals(0, bytes.length % 8);
    }

    @Test
    void theDecodedModelRuns() {
        LoadedModel m = BinPackage.read(BinCodec.encode(small()), "tiny.bin").load(null, 1);
        Map<String, Output> out = m.infer(Map.of("x", Input.floats(new float[] {1, 2, 3, 4, 5, 6})));
        Tensor y = out.get("y").raw();
        assertArrayEquals(new int[] {3, 2, 1}, y.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, y.floats());
    }

    @Test
    void everySingleByteCorruptionIsRefused() {
        byte[] good = BinCodec.encode(small());
        for (int i = 0; i < good.length; i++) {
            for (int flip : new int[] {0x01, 0x80, 0xff}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) flip;
                int at = i;
                assertThrows(BinFormatException.class, () -> BinCodec.decode(ByteBuffer.wrap(bad), "tiny.bin"),
                        "byte " + at + " ^ " + flip);
            }
        }
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] good = BinCodec.encode(small());
        for (int len = 0; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            BinFormatException e = assertThrows(BinFormatException.class,
                    () -> BinCodec.decode(ByteBuffer.wrap(cut), "tiny.bin"));
            assertTrue(e.getMessage().startsWith("tiny.bin: "), e.getMessage());
        }
    }

    @Test
    void foreignAndNewerFilesAreNamed() {
        BinFormatException text = assertThrows(BinFormatException.class,
                () -> BinCodec.decode(ByteBuffer.wrap("model_parameters:\n  onnx_model: a.onnx\n".repeat(10).getBytes()),
                        "config.yaml"));
        assertTrue(text.getMessage().contains("not a Kiln .bin"), text.getMessage());
        byte[] newer = BinCodec.encode(small());
        ByteBuffer.wrap(newer).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) (BinCodec.FORMAT_MAJOR + 1));
        BinFormatException v = assertThrows(BinFormatException.class,
                () -> BinCodec.decode(ByteBuffer.wrap(newer), "new.bin"));
        assertTrue(v.getMessage().contains("newer"), v.getMessage());
    }
}
