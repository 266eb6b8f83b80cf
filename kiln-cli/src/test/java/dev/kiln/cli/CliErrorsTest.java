package dev.kiln.cli;

import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.ir.Attributes;
import dev.kiln.core.ir.Graph;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.TensorType;
import dev.kiln.core.ir.Value;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to {@code kiln infer}: one clear line on stderr, a non-zero exit, no stack trace. */
class CliErrorsTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path goodInput;

    record Run(int status, String out, String err) {
    }

    static Run kiln(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KilnCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @BeforeAll
    static void makeModel() throws Exception {
        Graph g = new Graph("relu");
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 2, 3));
        var n = g.addNode("relu_node", "Relu", "", null, List.of(x), List.of("y"));
        g.addOutput(n.output(0));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        model = dir.resolve("relu.onnx");
        OnnxExporter.save(m, model);
        goodInput = dir.resolve("x.npy");
        Npy.write(goodInput, Tensor.of(new float[] {-1, 2, -3, 4, -5, 6}, 2, 3));
    }

    static void assertOneLineError(Run r, String... mustContain) {
        assertTrue(r.status() != 0, "non-zero exit");
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr, got:\n" + r.err());
        assertTrue(lines[0].startsWith("error: "), lines[0]);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
        for (String s : mustContain) {
            assertTrue(lines[0].contains(s), "message names '" + s + "': " + lines[0]);
        }
    }

    @Test
    void goodRunWritesOutputs() throws Exception {
        Path out = dir.resolve("ok");
        Run r = kiln("infer", "--model", model.toString(), "--input", "x=" + goodInput, "--output-dir", out.toString());
        assertEquals(0, r.status(), r.err());
        Tensor y = Npy.read(out.resolve("y.npy"));
        assertTrue(Arrays.equals(new float[] {0, 2, 0, 4, 0, 6}, y.floats()));
    }

    @Test
    void truncatedModel() throws Exception {
        byte[] b = Files.readAllBytes(model);
        Path t = dir.resolve("truncated.onnx");
        Files.write(t, Arrays.copyOf(b, b.length / 2));
        assertOneLineError(kiln("infer", "--model", t.toString(), "--input", "x=" + goodInput, "--output-dir", dir.resolve("o").toString()),
                t.toString());
    }

    @Test
    void randomBytes() throws Exception {
        byte[] b = new byte[4096];
        new Random(3).nextBytes(b);
        Path t = dir.resolve("random.onnx");
        Files.write(t, b);
        assertOneLineError(kiln("infer", "--model", t.toString(), "--input", "x=" + goodInput, "--output-dir", dir.resolve("o").toString()),
                t.toString(), "not a valid ONNX model");
    }

    @Test
    void unknownOperatorIsNamed() throws Exception {
        Graph g = new Graph("custom");
        Value x = g.addInput("x", TensorType.of(DType.FLOAT, 2, 3));
        var n = g.addNode("my_node", "FrobnicateX", "com.example", new Attributes(), List.of(x), List.of("y"));
        g.addOutput(n.output(0));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        m.opsets().put("com.example", 3L);
        Path p = dir.resolve("custom.onnx");
        OnnxExporter.save(m, p);
        assertOneLineError(kiln("infer", "--model", p.toString(), "--input", "x=" + goodInput, "--output-dir", dir.resolve("o").toString()),
                "my_node", "FrobnicateX", "com.example", "opset 3");
    }

    @Test
    void wrongShapeAndType() throws Exception {
        Path bad = dir.resolve("bad_shape.npy");
        Npy.write(bad, Tensor.of(new float[4], 2, 2));
        assertOneLineError(kiln("infer", "--model", model.toString(), "--input", "x=" + bad, "--output-dir", dir.resolve("o").toString()),
                "'x'", "[2, 2]", "2x3");
        Path badType = dir.resolve("bad_type.npy");
        Npy.write(badType, Tensor.ofLongs(new long[6], 2, 3));
        assertOneLineError(kiln("infer", "--model", model.toString(), "--input", "x=" + badType, "--output-dir", dir.resolve("o").toString()),
                "'x'", "int64", "float32");
    }

    @Test
    void missingFilesAndNames() {
        assertOneLineError(kiln("infer", "--model", dir.resolve("nope.onnx").toString(), "--input", "x=" + goodInput,
                "--output-dir", dir.resolve("o").toString()), "nope.onnx", "does not exist");
        assertOneLineError(kiln("infer", "--model", model.toString(), "--input", "x=" + dir.resolve("none.npy"),
                "--output-dir", dir.resolve("o").toString()), "none.npy");
        assertOneLineError(kiln("infer", "--model", model.toString(), "--input", "z=" + goodInput,
                "--output-dir", dir.resolve("o").toString()), "'z'", "[x]");
        Run usage = kiln("infer", "--model", model.toString());
        assertEquals(2, usage.status());
    }
}
