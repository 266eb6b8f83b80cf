package dev.kiln.core.config;

/** The --model-type of makertbin and checker. */
public enum ModelType {
    ONNX, CAFFE
}
