package dev.kiln.core.io.caffe;

import com.google.protobuf.ByteString;
import dev.kiln.core.KilnException;
import dev.kiln.core.io.caffe.proto.CaffeNet.BlobDataType;
import dev.kiln.core.io.caffe.proto.CaffeNet.BlobProto;
import dev.kiln.core.io.caffe.proto.CaffeNet.BlobShape;
import dev.kiln.core.io.caffe.proto.CaffeNet.CaffeWeights;
import dev.kiln.core.io.caffe.proto.CaffeNet.WeightsLayer;
import dev.kiln.core.io.caffe.proto.CaffeNet.WeightsV1Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blob forms of caffemodel files (legacy shapes, double, fp16 and float raw data) made in the test. */
class CaffeBlobsTest {
    private static final String PROTOTXT = """
            input: "data"
            input_shape { dim: 1 dim: 2 }
            layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 3 } }
            """;

    @TempDir
    Path tmp;

    private static BlobShape shape(long... dims) {
        BlobShape.Builder b = BlobShape.newBuilder();
        for (long d : dims) {
            b.addDim(d);
        }
        return b.build();
    }

    private CaffeFiles readWith(CaffeWeights weights, List<String> warnings) throws IOException {
        Path prototxt = Files.writeString(tmp.resolve("net.prototxt"), PROTOTXT);
        Path caffemodel = Files.write(tmp.resolve("net.caffemodel"), weights.toByteArray());
        return CaffeReader.read(prototxt, caffemodel, warnings::add);
    }

    private static CaffeWeights oneLayer(BlobProto... blobs) {
        return CaffeWeights.newBuilder().addLayer(WeightsLayer.newBuilder().setName("fc").setType("InnerProduct")
                .addAllBlobs(List.of(blobs))).build();
    }

    @Test
    void fp16RawDataBecomesFloats() throws IOException {
        // 1.0, -2.0, 0.5, 65504 (largest half), 2^-24 (smallest subnormal), -0
        short[] halves = {0x3c00, (short) 0xc000, 0x3800, 0x7bff, 0x0001, (short) 0x8000};
        ByteBuffer buf = ByteBuffer.allocate(2 * halves.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short h : halves) {
            buf.putShort(h);
        }
        BlobProto fp16 = BlobProto.newBuilder().setShape(shape(3, 2)).setRawDataType(BlobDataType.FLOAT16)
                .setRawData(ByteString.copyFrom(buf.array())).build();
        BlobProto b = readWith(oneLayer(fp16), new ArrayList<>()).blobs().get("fc").get(0);
        assertEquals(List.of(1f, -2f, 0.5f, 65504f, 0x1p-24f, -0f), b.getDataList());
        assertEquals(List.of(3L, 2L), b.getShape().getDimList());
        assertTrue(b.getRawData().isEmpty());
    }

    @Test
    void floatRawDataAndDoubleDataBecomeFloats() {
        ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-3f);
        BlobProto raw = BlobProto.newBuilder().setShape(shape(2)).setRawDataType(BlobDataType.FLOAT)
                .setRawData(ByteString.copyFrom(buf.array())).build();
        assertEquals(List.of(1.5f, -3f), CaffeBlobs.normalize(raw, "t").getDataList());
        BlobProto dbl = BlobProto.newBuilder().setShape(shape(3)).addDoubleData(0.1).addDoubleData(-1e40)
                .addDoubleData(2).build();
        BlobProto b = CaffeBlobs.normalize(dbl, "t");
        assertEquals(List.of(0.1f, Float.NEGATIVE_INFINITY, 2f), b.getDataList());
        assertEquals(0, b.getDoubleDataCount());
    }

    @Test
    void legacyShapeKeepsFourDimensionsAndPlainBlobsStayAsTheyAre() {
        BlobProto legacy = BlobProto.newBuilder().setNum(1).setChannels(1).setHeight(1).setWidth(3)
                .addData(1).addData(2).addData(3).build();
        BlobProto b = CaffeBlobs.normalize(legacy, "t");
        assertEquals(List.of(1L, 1L, 1L, 3L), b.getShape().getDimList());
        assertEquals(List.of(1f, 2f, 3f), b.getDataList());
        assertTrue(!b.hasNum() && !b.hasWidth());
        BlobProto plain = BlobProto.newBuilder().setShape(shape(2)).addData(1).addData(2).build();
        assertSame(plain, CaffeBlobs.normalize(plain, "t"));
        BlobProto scalar = BlobProto.newBuilder().addData(7).build();
        assertEquals(0, CaffeBlobs.normalize(scalar, "t").getShape().getDimCount());
    }

    @Test
    void wrongValueCountNamesLayerBlobAndBothNumbers() {
        BlobProto weight = BlobProto.newBuilder().setShape(shape(3, 2)).addData(1).addData(2).addData(3)
                .addData(4).addData(5).addData(6).build();
        BlobProto bias = BlobProto.newBuilder().setShape(shape(3)).addData(1).addData(2).build();
        KilnException e = assertThrows(KilnException.class, () -> readWith(oneLayer(weight, bias), new ArrayList<>()));
        assertEquals(tmp.resolve("net.caffemodel") + ": layer 'fc' blob 1 has 2 values but its shape 3 needs 3",
                e.getMessage());
        BlobProto halfBytes = BlobProto.newBuilder().setShape(shape(2)).setRawDataType(BlobDataType.FLOAT16)
                .setRawData(ByteString.copyFrom(new byte[3])).build();
        assertTrue(assertThrows(KilnException.class, () -> CaffeBlobs.normalize(halfBytes, "layer 'x' blob 0"))
                .getMessage().startsWith("layer 'x' blob 0 has 3 bytes of FLOAT16 raw_data"));
    }

    @Test
    void v1AndV2EntriesAreBothCollectedAndALaterDuplicateWins() throws IOException {
        BlobProto one = BlobProto.newBuilder().setShape(shape(1)).addData(1).build();
        BlobProto two = BlobProto.newBuilder().setShape(shape(1)).addData(2).build();
        CaffeWeights weights = CaffeWeights.newBuilder()
                .addLayer(WeightsLayer.newBuilder().setName("fc").addBlobs(one))
                .addLayer(WeightsLayer.newBuilder().setName("fc"))
                .addLayers(WeightsV1Layer.newBuilder().setName("old").setType(14).addBlobs(one))
                .addLayers(WeightsV1Layer.newBuilder().setName("fc").setType(14).addBlobs(two))
                .build();
        List<String> warnings = new ArrayList<>();
        CaffeFiles f = readWith(weights, warnings);
        assertEquals(List.of(2f), f.blobs().get("fc").get(0).getDataList());
        assertEquals(List.of(1f), f.blobs().get("old").get(0).getDataList());
        assertEquals(List.of(tmp.resolve("net.caffemodel") + ": layer 'fc' has blobs twice; the later ones are used,"
                + " as in Caffe"), warnings);
    }
}
