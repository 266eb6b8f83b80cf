package dev.kiln.core.io.caffe;

import dev.kiln.core.io.caffe.proto.CaffeNet;

import java.util.List;
import java.util.Map;

/**
 * A Caffe network as {@link CaffeReader} reads it.
 *
 * @param net   the network in the V2 form: {@code layer} entries with string types, legacy inputs turned
 *              into a leading {@code Input} layer, no {@code layers}/{@code input*} fields
 * @param blobs parameter blobs by layer name, in file order; each blob has {@code shape} set and its
 *              values in {@code data} (float), the count checked against the shape. Empty when no
 *              caffemodel was given.
 */
public record CaffeFiles(CaffeNet.NetParameter net, Map<String, List<CaffeNet.BlobProto>> blobs) {
}
