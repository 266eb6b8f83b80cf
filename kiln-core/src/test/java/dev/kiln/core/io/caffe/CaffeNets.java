package dev.kiln.core.io.caffe;

import com.google.protobuf.TextFormat;
import dev.kiln.core.exec.Executor;
import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.ir.Model;
import dev.kiln.runtime.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small Caffe networks written in the tests: prototxt text plus blobs given as tensors. */
final class CaffeNets {
    private final CaffeNet.NetParameter net;
    private final Map<String, List<CaffeNet.BlobProto>> blobs = new HashMap<>();
    final List<String> warnings = new ArrayList<>();

    private CaffeNets(String prototxt) {
        try {
            CaffeNet.NetParameter.Builder b = CaffeNet.NetParameter.newBuilder();
            TextFormat.merge(prototxt, b);
            net = b.build();
        } catch (TextFormat.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static CaffeNets of(String prototxt) {
        return new CaffeNets(prototxt);
    }

    /** Adds the next blob of a layer. */
    CaffeNets blob(String layer, Tensor t) {
        CaffeNet.BlobShape.Builder s = CaffeNet.BlobShape.newBuilder();
        for (int d : t.shape()) {
            s.addDim(d);
        }
        CaffeNet.BlobProto.Builder p = CaffeNet.BlobProto.newBuilder().setShape(s);
        float[] f = t.floats();
        for (float v : f) {
            p.addData(v);
        }
        blobs.computeIfAbsent(layer, k -> new ArrayList<>()).add(p.build());
        return this;
    }

    Model convert() {
        return CaffeImporter.convert(net, blobs, warnings::add);
    }

    /** Converts and runs the network on one input. */
    Map<String, Tensor> run(String input, Tensor x) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put(input, x);
        return run(in);
    }

    /** Converts and runs the network on several inputs, by name. */
    Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return new Executor(convert()).run(inputs);
    }
}
