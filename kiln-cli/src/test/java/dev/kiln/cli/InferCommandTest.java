package dev.kiln.cli;

import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.io.onnx.OnnxTensors;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln infer}: .npy and .pb inputs, directories of samples, --dump-all and file naming. */
class InferCommandTest {
    @TempDir
    Path dir;

    /** y = Relu(a + b); the intermediate is named "sum/with:odd chars" to exercise file naming. */
    private Path model() throws Exception {
        Graph g = new Graph("twoinputs");
        Value a = g.addInput("a", TensorType.of(DType.FLOAT, 3));
        Value b = g.addInput("b", TensorType.of(DType.FLOAT, 3));
        var add = g.addNode("add", "Add", "", null, List.of(a, b), List.of("sum/with:odd chars"));
        var relu = g.addNode("relu", "Relu", "", null, List.of(add.output(0)), List.of("out.y"));
        g.addOutput(relu.output(0));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        Path p = dir.resolve("m.onnx");
        OnnxExporter.save(m, p);
        return p;
    }

    @Test
    void directoriesOfSamplesArePairedByName() throws Exception {
        Path model = model();
        Path da = Files.createDirectories(dir.resolve("a"));
        Path db = Files.createDirectories(dir.resolve("b"));
        Npy.write(da.resolve("s1.npy"), Tensor.of(new float[] {1, -2, 3}, 3));
        Npy.write(db.resolve("s1.npy"), Tensor.of(new float[] {1, 1, 1}, 3));
        Npy.write(da.resolve("s2.npy"), Tensor.of(new float[] {-5, 0, 5}, 3));
        // a .pb sample for the second input
        Files.write(db.resolve("s2.pb"), OnnxTensors.toProto(Tensor.of(new float[] {2, 2, 2}, 3), "b").toByteArray());
        Path out = dir.resolve("out");
        CliErrorsTest.Run r = CliErrorsTest.kiln("infer", "--model", model.toString(), "--input", "a=" + da, "--input",
                "b=" + db, "--output-dir", out.toString());
        assertEquals(0, r.status(), r.err());
        assertArrayEquals(new float[] {2, 0, 4}, Npy.read(out.resolve("s1/out.y.npy")).floats());
        assertArrayEquals(new float[] {0, 2, 7}, Npy.read(out.resolve("s2/out.y.npy")).floats());
        assertTrue(r.out().contains("out.y float32[3]"), r.out());
    }

    @Test
    void dumpAllWritesEveryNodeOutputWithSafeNames() throws Exception {
        Path model = model();
        Npy.write(dir.resolve("a.npy"), Tensor.of(new float[] {1, -2, 3}, 3));
        Npy.write(dir.resolve("b.npy"), Tensor.of(new float[] {1, 1, -9}, 3));
        Path out = dir.resolve("dump");
        CliErrorsTest.Run r = CliErrorsTest.kiln("infer", "--model", model.toString(), "--input", "a=" + dir.resolve("a.npy"),
                "--input", "b=" + dir.resolve("b.npy"), "--output-dir", out.toString(), "--dump-all");
        assertEquals(0, r.status(), r.err());
        assertArrayEquals(new float[] {2, -1, -6}, Npy.read(out.resolve("sum_with_odd_chars.npy")).floats());
        assertArrayEquals(new float[] {2, 0, 0}, Npy.read(out.resolve("out.y.npy")).floats());
        try (var s = Files.list(out)) {
            assertEquals(2, s.count());
        }
    }
}
