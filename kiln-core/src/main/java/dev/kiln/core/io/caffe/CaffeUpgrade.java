package dev.kiln.core.io.caffe;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.kiln.core.KilnException;
import dev.kiln.core.io.caffe.proto.CaffeNet.BlobShape;
import dev.kiln.core.io.caffe.proto.CaffeNet.InputParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.LayerParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.NetParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.ParamSpec;
import dev.kiln.core.io.caffe.proto.CaffeNet.V1LayerParameter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a parsed network to the one form the importer reads, as Caffe's own upgrade does: V1
 * {@code layers} (enum types, before 2015) become V2 {@code layer} entries with string types, and the
 * legacy net-level inputs ({@code input} with {@code input_dim} or {@code input_shape}) become a leading
 * {@code Input} layer. Layers are never dropped; include/exclude rules are kept.
 */
public final class CaffeUpgrade {
    /** Data-layer fields that Caffe moved into transform_param. */
    private static final List<String> TRANSFORM_FIELDS = List.of("scale", "mean_file", "crop_size", "mirror");

    private CaffeUpgrade() {
    }

    /** The V2 form of net; file names the prototxt in error messages. */
    public static NetParameter upgrade(NetParameter net, String file) {
        if (net.getLayerCount() > 0 && net.getLayersCount() > 0) {
            throw new KilnException(file + ": the network mixes V2 'layer' blocks (" + net.getLayerCount()
                    + ") with legacy V1 'layers' blocks (" + net.getLayersCount() + "); use one form only");
        }
        NetParameter.Builder b = net.toBuilder();
        if (net.getLayersCount() > 0) {
            b.clearLayers();
            for (int i = 0; i < net.getLayersCount(); i++) {
                b.addLayer(upgradeLayer(net.getLayers(i), i, file));
            }
        }
        upgradeInputs(b, file);
        return b.build();
    }

    /** The V2 type name of a V1 layer type, as Caffe's upgrade names it; null for NONE. */
    public static String v2Type(V1LayerParameter.LayerType type) {
        return switch (type) {
            case NONE -> null;
            case ABSVAL -> "AbsVal";
            case ACCURACY -> "Accuracy";
            case ARGMAX -> "ArgMax";
            case BNLL -> "BNLL";
            case CONCAT -> "Concat";
            case CONTRASTIVE_LOSS -> "ContrastiveLoss";
            case CONVOLUTION -> "Convolution";
            case DATA -> "Data";
            case DECONVOLUTION -> "Deconvolution";
            case DROPOUT -> "Dropout";
            case DUMMY_DATA -> "DummyData";
            case EUCLIDEAN_LOSS -> "EuclideanLoss";
            case ELTWISE -> "Eltwise";
            case EXP -> "Exp";
            case FLATTEN -> "Flatten";
            case HDF5_DATA -> "HDF5Data";
            case HDF5_OUTPUT -> "HDF5Output";
            case HINGE_LOSS -> "HingeLoss";
            case IM2COL -> "Im2col";
            case IMAGE_DATA -> "ImageData";
            case INFOGAIN_LOSS -> "InfogainLoss";
            case INNER_PRODUCT -> "InnerProduct";
            case LRN -> "LRN";
            case MEMORY_DATA -> "MemoryData";
            case MULTINOMIAL_LOGISTIC_LOSS -> "MultinomialLogisticLoss";
            case MVN -> "MVN";
            case POOLING -> "Pooling";
            case POWER -> "Power";
            case RELU -> "ReLU";
            case SIGMOID -> "Sigmoid";
            case SIGMOID_CROSS_ENTROPY_LOSS -> "SigmoidCrossEntropyLoss";
            case SILENCE -> "Silence";
            case SOFTMAX -> "Softmax";
            case SOFTMAX_LOSS -> "SoftmaxWithLoss";
            case SPLIT -> "Split";
            case SLICE -> "Slice";
            case TANH -> "TanH";
            case WINDOW_DATA -> "WindowData";
            case THRESHOLD -> "Threshold";
        };
    }

    /**
     * One V1 layer as a V2 layer. Every {@code *_param} message has the same type in both forms and is
     * copied by name; blobs_lr and weight_decay (training only) are dropped, param names kept.
     */
    static LayerParameter upgradeLayer(V1LayerParameter v1, int index, String file) {
        String type = v2Type(v1.getType());
        if (type == null) {
            throw new KilnException(file + ": V1 layer " + (index + 1) + (v1.hasName() ? " '" + v1.getName() + "'" : "")
                    + " has no type (type is missing or NONE); a pre-2014 V0 file with nested 'layer' blocks must"
                    + " first be upgraded with Caffe's upgrade_net_proto_text");
        }
        LayerParameter.Builder l = LayerParameter.newBuilder()
                .setType(type)
                .addAllBottom(v1.getBottomList())
                .addAllTop(v1.getTopList())
                .addAllInclude(v1.getIncludeList())
                .addAllExclude(v1.getExcludeList())
                .addAllBlobs(v1.getBlobsList())
                .addAllLossWeight(v1.getLossWeightList());
        if (v1.hasName()) {
            l.setName(v1.getName());
        }
        for (String shared : v1.getParamList()) {
            l.addParam(ParamSpec.newBuilder().setName(shared));
        }
        for (Map.Entry<FieldDescriptor, Object> e : v1.getAllFields().entrySet()) {
            String name = e.getKey().getName();
            if (name.endsWith("_param")) {
                l.setField(LayerParameter.getDescriptor().findFieldByName(name), e.getValue());
            }
        }
        if (type.equals("Data")) {
            moveToTransform(l, LayerParameter.getDescriptor().findFieldByName("data_param"));
        } else if (type.equals("ImageData")) {
            moveToTransform(l, LayerParameter.getDescriptor().findFieldByName("image_data_param"));
        }
        return l.build();
    }

    /** Caffe's data-transformation upgrade: scale, mean_file, crop_size, mirror move to transform_param. */
    private static void moveToTransform(LayerParameter.Builder l, FieldDescriptor paramField) {
        if (!l.hasField(paramField)) {
            return;
        }
        Message.Builder param = ((Message) l.getField(paramField)).toBuilder();
        Message.Builder transform = l.getTransformParam().toBuilder();
        for (String name : TRANSFORM_FIELDS) {
            FieldDescriptor from = param.getDescriptorForType().findFieldByName(name);
            FieldDescriptor to = transform.getDescriptorForType().findFieldByName(name);
            if (param.hasField(from)) {
                if (!transform.hasField(to)) {
                    transform.setField(to, param.getField(from));
                }
                param.clearField(from);
            }
        }
        l.setField(paramField, param.build());
        l.setField(LayerParameter.getDescriptor().findFieldByName("transform_param"), transform.build());
    }

    /** Legacy net inputs become a leading Input layer with one shape per input. */
    static void upgradeInputs(NetParameter.Builder b, String file) {
        int inputs = b.getInputCount();
        int dims = b.getInputDimCount();
        int shapes = b.getInputShapeCount();
        if (inputs == 0 && dims == 0 && shapes == 0) {
            return;
        }
        String names = "'" + String.join("', '", b.getInputList()) + "'";
        if (inputs == 0) {
            throw new KilnException(file + ": the network gives " + (dims > 0 ? dims + " input_dim values" : shapes
                    + " input_shape blocks") + " but no 'input' names");
        }
        if (dims > 0 && shapes > 0) {
            throw new KilnException(file + ": the network gives both input_dim and input_shape for its inputs "
                    + names + "; use one form only");
        }
        List<BlobShape> inputShapes = new ArrayList<>();
        if (dims > 0) {
            if (dims != 4 * inputs) {
                throw new KilnException(file + ": the network has " + inputs + " input(s) (" + names + ") and "
                        + dims + " input_dim values; the legacy form needs 4 input_dim values (N, C, H, W) per input");
            }
            for (int i = 0; i < inputs; i++) {
                inputShapes.add(BlobShape.newBuilder().addAllDim(b.getInputDimList().subList(4 * i, 4 * i + 4)).build());
            }
        } else if (shapes == inputs) {
            inputShapes.addAll(b.getInputShapeList());
        } else {
            throw new KilnException(file + ": the network has " + inputs + " input(s) (" + names + ") but "
                    + (shapes == 0 ? "no input_dim or input_shape" : shapes + " input_shape blocks")
                    + "; give one input_shape (or 4 input_dim values) per input");
        }
        Set<String> taken = new HashSet<>();
        b.getLayerList().forEach(l -> taken.add(l.getName()));
        String name = "input";
        for (int k = 1; taken.contains(name); k++) {
            name = "input_" + k;
        }
        LayerParameter input = LayerParameter.newBuilder().setName(name).setType("Input")
                .addAllTop(b.getInputList())
                .setInputParam(InputParameter.newBuilder().addAllShape(inputShapes))
                .build();
        List<LayerParameter> layers = List.copyOf(b.getLayerList());
        b.clearInput().clearInputDim().clearInputShape().clearLayer().addLayer(input).addAllLayer(layers);
    }
}
