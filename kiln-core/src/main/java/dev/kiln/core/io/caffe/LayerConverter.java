package dev.kiln.core.io.caffe;

/**
 * Turns one Caffe layer (V2 form) into IR nodes: reads its bottoms and blobs from the context, adds
 * nodes through it and binds its tops. Each converter is registered under the Caffe type name in
 * {@link CaffeLayers}.
 */
@FunctionalInterface
interface LayerConverter {
    void convert(CaffeContext ctx);
}
