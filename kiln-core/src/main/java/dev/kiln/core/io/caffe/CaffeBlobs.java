package dev.kiln.core.io.caffe;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.core.KilnException;
import dev.kiln.core.io.ProtoFiles;
import dev.kiln.core.io.caffe.proto.CaffeNet.BlobProto;
import dev.kiln.core.io.caffe.proto.CaffeNet.BlobShape;
import dev.kiln.core.io.caffe.proto.CaffeNet.CaffeWeights;
import dev.kiln.core.io.caffe.proto.CaffeNet.WeightsLayer;
import dev.kiln.core.io.caffe.proto.CaffeNet.WeightsV1Layer;
import dev.kiln.runtime.tensor.Half;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads the parameter blobs of a binary caffemodel and brings each blob to one form: shape + float data. */
final class CaffeBlobs {
    /** The V0 layer message that pre-2014 caffemodels nest inside each V1 layer. */
    private static final int V0_LAYER_FIELD = 1;

    private CaffeBlobs() {
    }

    /** Blobs by layer name, from both V2 {@code layer} and V1 {@code layers} entries, in file order. */
    static Map<String, List<BlobProto>> read(Path file, Consumer<String> warnings) {
        CaffeWeights weights;
        try {
            weights = ProtoFiles.read(file, CaffeWeights.parser());
        } catch (InvalidProtocolBufferException e) {
            throw new KilnException("caffemodel " + file + " is damaged or truncated (protobuf: " + e.getMessage() + ")");
        } catch (IOException e) {
            throw new KilnException("cannot read caffemodel " + file + ": " + e.getMessage());
        }
        Map<String, List<BlobProto>> blobs = new LinkedHashMap<>();
        for (WeightsLayer l : weights.getLayerList()) {
            collect(blobs, l.getName(), l.getBlobsList(), file, warnings);
        }
        for (WeightsV1Layer l : weights.getLayersList()) {
            if (l.getUnknownFields().hasField(V0_LAYER_FIELD)) {
                throw new KilnException("caffemodel " + file + " uses the pre-2014 V0 layer format, which Kiln does"
                        + " not read; upgrade it with Caffe's upgrade_net_proto_binary");
            }
            collect(blobs, l.getName(), l.getBlobsList(), file, warnings);
        }
        if (weights.getLayerCount() == 0 && weights.getLayersCount() == 0) {
            throw new KilnException("caffemodel " + file + " holds no layers (is it a Caffe caffemodel?)");
        }
        return Collections.unmodifiableMap(blobs);
    }

    /**
     * Records one layer's blobs. As in Caffe, a later layer of the same name replaces the blobs of an
     * earlier one; a layer without blobs never replaces any.
     */
    static void collect(Map<String, List<BlobProto>> blobs, String layer, List<BlobProto> raw, Object file,
                        Consumer<String> warnings) {
        List<BlobProto> previous = blobs.get(layer);
        if (previous != null && raw.isEmpty()) {
            return;
        }
        if (previous != null && !previous.isEmpty()) {
            warnings.accept(file + ": layer '" + layer + "' has blobs twice; the later ones are used, as in Caffe");
        }
        BlobProto[] normalized = new BlobProto[raw.size()];
        for (int i = 0; i < normalized.length; i++) {
            normalized[i] = normalize(raw.get(i), file + ": layer '" + layer + "' blob " + i);
        }
        blobs.put(layer, List.of(normalized));
    }

    /**
     * The blob with {@code shape} set (legacy num/channels/height/width give a 4-D shape) and its values
     * as float {@code data}, converted from double_data or raw_data (FLOAT16, FLOAT, DOUBLE; little
     * endian) when data is empty. Throws when the value count does not match the shape.
     */
    static BlobProto normalize(BlobProto b, String where) {
        BlobShape shape = b.hasShape() ? b.getShape()
                : b.hasNum() || b.hasChannels() || b.hasHeight() || b.hasWidth()
                ? BlobShape.newBuilder().addDim(b.getNum()).addDim(b.getChannels())
                        .addDim(b.getHeight()).addDim(b.getWidth()).build()
                : BlobShape.getDefaultInstance();
        long count = 1;
        for (long d : shape.getDimList()) {
            if (d < 0) {
                throw new KilnException(where + " has a negative dimension in its shape " + describe(shape));
            }
            count *= d;
        }
        boolean plain = b.hasShape() && b.getDoubleDataCount() == 0 && !b.hasRawData() && b.getDiffCount() == 0
                && b.getDoubleDiffCount() == 0 && !b.hasNum() && !b.hasChannels() && !b.hasHeight() && !b.hasWidth();
        if (plain || b.getDataCount() > 0) {
            checkCount(b.getDataCount(), count, shape, where);
            return plain ? b : BlobProto.newBuilder().setShape(shape).addAllData(b.getDataList()).build();
        }
        float[] values;
        if (b.getDoubleDataCount() > 0) {
            values = new float[b.getDoubleDataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) b.getDoubleData(i);
            }
        } else if (b.hasRawData()) {
            values = fromRaw(b.getRawData(), b, where);
        } else {
            values = new float[0];
        }
        checkCount(values.length, count, shape, where);
        BlobProto.Builder out = BlobProto.newBuilder().setShape(shape);
        for (float v : values) {
            out.addData(v);
        }
        return out.build();
    }

    private static float[] fromRaw(ByteString raw, BlobProto b, String where) {
        ByteBuffer buf = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int width = switch (b.getRawDataType()) {
            case FLOAT16 -> 2;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            default -> throw new KilnException(where + " stores raw_data of type " + b.getRawDataType()
                    + "; Kiln reads FLOAT16, FLOAT and DOUBLE raw_data");
        };
        if (raw.size() % width != 0) {
            throw new KilnException(where + " has " + raw.size() + " bytes of " + b.getRawDataType()
                    + " raw_data, not a multiple of " + width);
        }
        float[] values = new float[raw.size() / width];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (width) {
                case 2 -> Half.toFloat(buf.getShort());
                case 4 -> buf.getFloat();
                default -> (float) buf.getDouble();
            };
        }
        return values;
    }

    private static void checkCount(long found, long expected, BlobShape shape, String where) {
        if (found != expected) {
            throw new KilnException(where + " has " + found + " values but its shape " + describe(shape)
                    + " needs " + expected);
        }
    }

    private static String describe(BlobShape shape) {
        if (shape.getDimCount() == 0) {
            return "[] (scalar)";
        }
        StringBuilder s = new StringBuilder();
        for (long d : shape.getDimList()) {
            s.append(s.length() == 0 ? "" : "x").append(d);
        }
        return s.toString();
    }
}
