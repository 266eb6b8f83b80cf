package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.caffe.proto.CaffeNet.BlobProto;
import dev.kiln.core.io.caffe.proto.CaffeNet.ConvolutionParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.LayerParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.NetParameter;
import dev.kiln.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real networks and damaged files through {@link CaffeReader}. */
class CaffeReaderTest {
    private static final String V1 = "models/caffe-bvlc-v1/";

    @TempDir
    Path tmp;

    static List<Long> dims(BlobProto b) {
        return b.getShape().getDimList();
    }

    static LayerParameter layer(NetParameter net, String name) {
        return net.getLayerList().stream().filter(l -> l.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void lenetV1IsUpgradedWithItsWeights() {
        List<String> warnings = new ArrayList<>();
        CaffeFiles f = CaffeReader.read(TestData.require(V1 + "lenet.prototxt"),
                TestData.require(V1 + "lenet_iter_10000.caffemodel"), warnings::add);
        NetParameter net = f.net();
        assertEquals(0, net.getLayersCount());
        assertEquals(0, net.getInputCount() + net.getInputDimCount() + net.getInputShapeCount());
        assertEquals(List.of("Input", "Convolution", "Pooling", "Convolution", "Pooling", "InnerProduct", "ReLU",
                "InnerProduct", "Softmax"), net.getLayerList().stream().map(LayerParameter::getType).toList());
        LayerParameter input = net.getLayer(0);
        assertEquals(List.of("data"), input.getTopList());
        assertEquals(List.of(64L, 1L, 28L, 28L), input.getInputParam().getShape(0).getDimList());
        assertEquals(20, layer(net, "conv1").getConvolutionParam().getNumOutput());
        assertEquals(List.of("conv2"), layer(net, "pool2").getBottomList());

        Map<String, List<BlobProto>> blobs = f.blobs();
        assertEquals(List.of(20L, 1L, 5L, 5L), dims(blobs.get("conv1").get(0)));
        assertEquals(500, blobs.get("conv1").get(0).getDataCount());
        assertEquals(List.of(1L, 1L, 1L, 20L), dims(blobs.get("conv1").get(1)));
        assertEquals(List.of(1L, 1L, 500L, 800L), dims(blobs.get("ip1").get(0)));
        assertEquals(List.of(1L, 1L, 10L, 500L), dims(blobs.get("ip2").get(0)));
        assertEquals(5000, blobs.get("ip2").get(0).getDataCount());
        assertTrue(blobs.get("ip2").get(0).getDataList().stream().anyMatch(v -> v != 0f));
        assertTrue(blobs.getOrDefault("pool1", List.of()).isEmpty());
        assertEquals(List.of(), warnings);
    }

    @ParameterizedTest
    @CsvSource({
            "cifar10_quick.prototxt, cifar10_quick_iter_5000.caffemodel, 2",
            "cifar10_full.prototxt, cifar10_full_iter_70000.caffemodel, 1"})
    void cifar10V1LayersMatchTheirBlobs(String prototxt, String caffemodel, int innerProducts) {
        CaffeFiles f = CaffeReader.read(TestData.require(V1 + prototxt), TestData.require(V1 + caffemodel), null);
        NetParameter net = f.net();
        assertEquals(List.of(1L, 3L, 32L, 32L), net.getLayer(0).getInputParam().getShape(0).getDimList());
        assertEquals(innerProducts, net.getLayerList().stream().filter(l -> l.getType().equals("InnerProduct")).count());
        if (prototxt.contains("full")) {
            LayerParameter norm1 = layer(net, "norm1");
            assertEquals("LRN", norm1.getType());
            assertEquals(3, norm1.getLrnParam().getLocalSize());
        }
        assertEquals(List.of(32L, 3L, 5L, 5L), dims(f.blobs().get("conv1").get(0)));
        for (LayerParameter l : net.getLayerList()) {
            List<BlobProto> b = f.blobs().getOrDefault(l.getName(), List.of());
            switch (l.getType()) {
                case "Convolution" -> {
                    assertEquals(2, b.size(), l.getName());
                    assertEquals(l.getConvolutionParam().getNumOutput(), dims(b.get(0)).get(0));
                    assertEquals(l.getConvolutionParam().getKernelSize(0), dims(b.get(0)).get(3));
                }
                case "InnerProduct" -> {
                    assertEquals(2, b.size(), l.getName());
                    assertEquals(l.getInnerProductParam().getNumOutput(), dims(b.get(0)).get(2));
                }
                default -> assertTrue(b.isEmpty(), l.getName());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"RFB-320/RFB-320, 52", "Slim-320/slim-320, 42"})
    void ultraFaceV2ParsesWithOneBlobPairPerConvolution(String stem, int convolutions) {
        String base = "models/ultraface/caffe/" + stem;
        CaffeFiles f = CaffeReader.read(TestData.require(base + ".prototxt"), TestData.require(base + ".caffemodel"),
                w -> { throw new AssertionError(w); });
        NetParameter net = f.net();
        assertEquals("Input", net.getLayer(0).getType());
        assertEquals(List.of(1L, 3L, 240L, 320L), net.getLayer(0).getInputParam().getShape(0).getDimList());
        int seen = 0;
        for (LayerParameter l : net.getLayerList()) {
            List<BlobProto> b = f.blobs().getOrDefault(l.getName(), List.of());
            if (l.getType().equals("Convolution")) {
                ConvolutionParameter c = l.getConvolutionParam();
                assertEquals(2, b.size(), l.getName());
                assertEquals(List.of((long) c.getNumOutput(), dims(b.get(0)).get(1), (long) c.getKernelH(),
                        (long) c.getKernelW()), dims(b.get(0)), l.getName());
                assertEquals(List.of((long) c.getNumOutput()), dims(b.get(1)), l.getName());
                seen++;
            } else {
                assertTrue(b.isEmpty(), l.getName());
            }
        }
        assertEquals(convolutions, seen);
        if (stem.startsWith("RFB")) {
            assertEquals(List.of(16L, 3L, 3L, 3L), dims(f.blobs().get("245").get(0)));
            assertEquals(List.of(16L, 1L, 3L, 3L), dims(f.blobs().get("248").get(0)), "depthwise");
        }
    }

    @Test
    void truncatedCaffemodelNamesTheFile() throws IOException {
        byte[] whole = Files.readAllBytes(TestData.require(V1 + "lenet_iter_10000.caffemodel"));
        Path half = tmp.resolve("half.caffemodel");
        Files.write(half, Arrays.copyOf(whole, whole.length / 2));
        KilnException e = assertThrows(KilnException.class,
                () -> CaffeReader.read(TestData.require(V1 + "lenet.prototxt"), half, null));
        assertTrue(e.getMessage().contains(half.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void swappedArgumentsAreNamedAsSuch() {
        Path prototxt = TestData.require(V1 + "lenet.prototxt");
        Path caffemodel = TestData.require(V1 + "lenet_iter_10000.caffemodel");
        KilnException binaryText = assertThrows(KilnException.class, () -> CaffeReader.read(caffemodel, prototxt, null));
        assertTrue(binaryText.getMessage().contains(caffemodel.toString()), binaryText.getMessage());
        assertTrue(binaryText.getMessage().contains("swapped"), binaryText.getMessage());
        KilnException textModel = assertThrows(KilnException.class, () -> CaffeReader.read(prototxt, prototxt, null));
        assertTrue(textModel.getMessage().startsWith("caffemodel " + prototxt + " is a text file"), textModel.getMessage());
        assertTrue(textModel.getMessage().contains("swapped"), textModel.getMessage());
    }

    @Test
    void missingAndEmptyFilesAreClearErrors() throws IOException {
        Path empty = Files.createFile(tmp.resolve("deploy.prototxt"));
        assertTrue(assertThrows(KilnException.class, () -> CaffeReader.read(empty, null, null)).getMessage()
                .contains(empty + " is empty"));
        Path absent = tmp.resolve("absent.prototxt");
        assertEquals("prototxt " + absent + " does not exist",
                assertThrows(KilnException.class, () -> CaffeReader.read(absent, null, null)).getMessage());
        Files.writeString(empty, "# only a comment\n");
        assertTrue(assertThrows(KilnException.class, () -> CaffeReader.read(empty, null, null)).getMessage()
                .contains("defines no layers"));
    }

    @Test
    void structureOnlyWithoutCaffemodel() {
        CaffeFiles f = CaffeReader.read(TestData.require(V1 + "lenet.prototxt"), null, null);
        assertEquals(9, f.net().getLayerCount());
        assertTrue(f.blobs().isEmpty());
    }
}
