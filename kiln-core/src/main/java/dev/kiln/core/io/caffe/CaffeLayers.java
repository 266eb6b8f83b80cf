package dev.kiln.core.io.caffe;

import java.util.HashMap;
import java.util.Map;

/** The Caffe layer types Kiln converts, each with its converter (one line per type). */
final class CaffeLayers {
    private static final Map<String, LayerConverter> CONVERTERS = new HashMap<>();

    static {
        CONVERTERS.put("Input", BasicLayers::input);
        CONVERTERS.put("Convolution", BasicLayers::convolution);
        CONVERTERS.put("ReLU", BasicLayers::relu);

        // convolution-like, pooling and normalization layers
        CONVERTERS.put("Deconvolution", BasicLayers::deconvolution);
        CONVERTERS.put("InnerProduct", BasicLayers::innerProduct);
        CONVERTERS.put("Pooling", PoolingLayers::pooling);
        CONVERTERS.put("LRN", PoolingLayers::lrn);
        CONVERTERS.put("BatchNorm", AffineLayers::batchNorm);
        CONVERTERS.put("Scale", AffineLayers::scale);
        CONVERTERS.put("Bias", AffineLayers::bias);

        // activations and elementwise math
        CONVERTERS.put("ReLU6", ActivationLayers::relu6);
        CONVERTERS.put("PReLU", ActivationLayers::prelu);
        CONVERTERS.put("ELU", ActivationLayers::elu);
        CONVERTERS.put("Sigmoid", ActivationLayers.unary("Sigmoid"));
        CONVERTERS.put("TanH", ActivationLayers.unary("Tanh"));
        CONVERTERS.put("AbsVal", ActivationLayers.unary("Abs"));
        CONVERTERS.put("BNLL", ActivationLayers.unary("Softplus"));
        CONVERTERS.put("Power", ActivationLayers::power);
        CONVERTERS.put("Exp", ActivationLayers::exp);
        CONVERTERS.put("Log", ActivationLayers::log);
        CONVERTERS.put("Threshold", ActivationLayers::threshold);
        CONVERTERS.put("Softmax", ActivationLayers::softmax);
        CONVERTERS.put("Eltwise", ActivationLayers::eltwise);

        // shape, routing and selection layers
        CONVERTERS.put("Concat", ShapeLayers::concat);
        CONVERTERS.put("Split", ShapeLayers::split);
        CONVERTERS.put("Slice", ShapeLayers::slice);
        CONVERTERS.put("Flatten", ShapeLayers::flatten);
        CONVERTERS.put("Reshape", ShapeLayers::reshape);
        CONVERTERS.put("Dropout", ShapeLayers::dropout);
        CONVERTERS.put("Crop", ShapeLayers::crop);
        CONVERTERS.put("ShuffleChannel", ShapeLayers::shuffleChannel);
        CONVERTERS.put("Interp", ResizeLayers::interp);
        CONVERTERS.put("Upsample", ResizeLayers::upsample);
        CONVERTERS.put("ArgMax", ArgMaxLayer::convert);

        // the SSD fork's layers
        CONVERTERS.put("Permute", SsdLayers::permute);
        CONVERTERS.put("Normalize", SsdLayers::normalize);
        CONVERTERS.put("PriorBox", SsdLayers::priorBox);
        CONVERTERS.put("DetectionOutput", SsdLayers::detectionOutput);

    }

    private CaffeLayers() {
    }

    /** The converter of a Caffe layer type, or null. */
    static LayerConverter find(String type) {
        return CONVERTERS.get(type);
    }
}
