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

        // activations and elementwise math

        // shape, routing and selection layers

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

    /** Every converted type (for the documentation and tests). */
    static java.util.Set<String> types() {
        return java.util.Collections.unmodifiableSet(CONVERTERS.keySet());
    }
}
