package dev.kiln.core.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.ir.Model;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** ONNX Runtime as an independent oracle: runs a model file (or an IR model, exported) on Kiln tensors. */
public final class OrtOracle {
    private OrtOracle() {
    }

    public static Map<String, Tensor> run(Model model, Map<String, Tensor> inputs) throws Exception {
        // a model built in Java has no output types until inference has run; ONNX Runtime needs them
        dev.kiln.core.ops.TypeInference.run(model);
        Path tmp = Files.createTempFile("kiln-ort-", ".onnx");
        try {
            OnnxExporter.save(model, tmp);
            return run(tmp, inputs, 1);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static Map<String, Tensor> run(Path modelFile, Map<String, Tensor> inputs) throws Exception {
        return run(modelFile, inputs, 1);
    }

    public static Map<String, Tensor> run(Path modelFile, Map<String, Tensor> inputs, int threads) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            opts.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession session = env.createSession(modelFile.toString(), opts)) {
                return run(env, session, inputs);
            }
        }
    }

    public static Map<String, Tensor> run(OrtEnvironment env, OrtSession session, Map<String, Tensor> inputs)
            throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                feeds.put(e.getKey(), toOrt(env, e.getValue()));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (OrtSession.Result r = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    out.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
                }
            }
            return out;
        } finally {
            for (OnnxTensor t : feeds.values()) {
                t.close();
            }
        }
    }

    static ai.onnxruntime.OnnxJavaType javaType(DType t) {
        switch (t) {
            case FLOAT: return ai.onnxruntime.OnnxJavaType.FLOAT;
            case DOUBLE: return ai.onnxruntime.OnnxJavaType.DOUBLE;
            case FLOAT16: return ai.onnxruntime.OnnxJavaType.FLOAT16;
            case BFLOAT16: return ai.onnxruntime.OnnxJavaType.BFLOAT16;
            case INT8: return ai.onnxruntime.OnnxJavaType.INT8;
            case UINT8: return ai.onnxruntime.OnnxJavaType.UINT8;
            case INT16: return ai.onnxruntime.OnnxJavaType.INT16;
            case INT32: return ai.onnxruntime.OnnxJavaType.INT32;
            case INT64: return ai.onnxruntime.OnnxJavaType.INT64;
            case BOOL: return ai.onnxruntime.OnnxJavaType.BOOL;
            default: throw new IllegalArgumentException("ONNX Runtime Java cannot take " + t + " tensors");
        }
    }

    public static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        long[] shape = new long[t.rank()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.dim(i);
        }
        ByteBuffer raw = dev.kiln.runtime.io.RawTensors.encode(t, ByteOrder.nativeOrder());
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.nativeOrder());
        direct.put(raw).flip();
        return OnnxTensor.createTensor(env, direct, shape, javaType(t.dtype()));
    }

    public static Tensor fromOrt(OnnxTensor t) {
        long[] s = t.getInfo().getShape();
        int[] shape = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            shape[i] = (int) s[i];
        }
        DType dtype;
        switch (t.getInfo().type) {
            case FLOAT: dtype = DType.FLOAT; break;
            case DOUBLE: dtype = DType.DOUBLE; break;
            case FLOAT16: dtype = DType.FLOAT16; break;
            case BFLOAT16: dtype = DType.BFLOAT16; break;
            case INT8: dtype = DType.INT8; break;
            case UINT8: dtype = DType.UINT8; break;
            case INT16: dtype = DType.INT16; break;
            case INT32: dtype = DType.INT32; break;
            case INT64: dtype = DType.INT64; break;
            case BOOL: dtype = DType.BOOL; break;
            default: throw new IllegalArgumentException("unsupported ONNX Runtime output type " + t.getInfo().type);
        }
        ByteBuffer buf = t.getByteBuffer().order(ByteOrder.nativeOrder());
        return dev.kiln.runtime.io.RawTensors.decode(dtype, shape, buf);
    }
}
