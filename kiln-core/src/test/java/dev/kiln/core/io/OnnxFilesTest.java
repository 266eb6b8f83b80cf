package dev.kiln.core.io;

import com.google.protobuf.ByteString;
import dev.kiln.core.KilnException;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.io.onnx.proto.OnnxIr;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.testing.GraphBuilder;
import dev.kiln.core.testing.OracleCheck;
import dev.kiln.core.testing.OrtOracle;
import dev.kiln.core.testing.TestTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files at the edges of the ONNX format: external data, oversized and damaged files. */
class OnnxFilesTest {
    @TempDir
    Path dir;

    /** A Conv model whose weight lives in an external data file next to the model. */
    @Test
    void externalDataIsReadAndAgreesWithOnnxRuntime() throws Exception {
        GraphBuilder b = new GraphBuilder("ext", 13);
        Value x = b.input("x", DType.FLOAT, 1, 3, 8, 8);
        Value w = b.weights("w", 0.5f, 4, 3, 3, 3);
        b.output(b.op("Conv", List.of(x, w), GraphBuilder.ints("pads", 1, 1, 1, 1)));
        Model m = b.build();
        OnnxIr.ModelProto.Builder proto = OnnxExporter.toProto(m).toBuilder();
        OnnxIr.GraphProto.Builder g = proto.getGraphBuilder();
        // move the weight's raw data to weights.bin at offset 16
        OnnxIr.TensorProto.Builder t = g.getInitializerBuilder(0);
        byte[] raw = t.getRawData().toByteArray();
        byte[] file = new byte[16 + raw.length];
        System.arraycopy(raw, 0, file, 16, raw.length);
        Files.write(dir.resolve("weights.bin"), file);
        t.clearRawData().setDataLocation(OnnxIr.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxIr.StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))
                .addExternalData(OnnxIr.StringStringEntryProto.newBuilder().setKey("offset").setValue("16"))
                .addExternalData(OnnxIr.StringStringEntryProto.newBuilder().setKey("length").setValue(Integer.toString(raw.length)));
        Path model = dir.resolve("ext.onnx");
        Files.write(model, proto.build().toByteArray());
        Model loaded = OnnxImporter.load(model);
        Tensor wLoaded = loaded.graph().initializers().get(0).constant().tensor();
        assertTrue(wLoaded.sameAs(w.constant().tensor()), "external weights read back exactly");
        Map<String, Tensor> in = Map.of("x", TestTensors.normal(3, 1, 3, 8, 8));
        OracleCheck.assertAgrees("external data", OrtOracle.run(model, in), new Executor(loaded).run(in));

        Files.write(dir.resolve("weights.bin"), new byte[8]);
        KilnException e = assertThrows(KilnException.class, () -> OnnxImporter.load(model));
        assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains("too few"), e.getMessage());
        Files.delete(dir.resolve("weights.bin"));
        e = assertThrows(KilnException.class, () -> OnnxImporter.load(model));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    /** A file of 2 GB or more cannot be one protobuf message: a clear error, without reading it. */
    @Test
    void filesOverTwoGigabytesAreRefusedClearly() throws Exception {
        Path big = dir.resolve("big.onnx");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((2L << 30) + 10); // sparse: takes no disk space
        }
        KilnException e = assertThrows(KilnException.class, () -> OnnxImporter.load(big));
        assertTrue(e.getMessage().contains("2 GB") && e.getMessage().contains("external data"), e.getMessage());
    }

    @Test
    void notOnnxFilesAreRefusedClearly() throws Exception {
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        assertTrue(assertThrows(KilnException.class, () -> OnnxImporter.load(empty)).getMessage().contains("empty"));
        Path text = dir.resolve("text.onnx");
        Files.writeString(text, "this is not a model\n");
        assertTrue(assertThrows(KilnException.class, () -> OnnxImporter.load(text)).getMessage().contains("not a valid ONNX model"));
        // a valid TensorProto is a valid protobuf but not a model
        Path tensor = dir.resolve("tensor.onnx");
        Files.write(tensor, OnnxIr.TensorProto.newBuilder().setDataType(1).addDims(1)
                .setRawData(ByteString.copyFrom(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).array()))
                .build().toByteArray());
        assertTrue(assertThrows(KilnException.class, () -> OnnxImporter.load(tensor)).getMessage().contains("not a valid ONNX model"));
    }
}
