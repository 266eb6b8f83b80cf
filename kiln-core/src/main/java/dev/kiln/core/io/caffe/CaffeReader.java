package dev.kiln.core.io.caffe;

import dev.kiln.core.KilnException;
import dev.kiln.core.io.caffe.proto.CaffeNet.BlobProto;
import dev.kiln.core.io.caffe.proto.CaffeNet.LayerParameter;
import dev.kiln.core.io.caffe.proto.CaffeNet.NetParameter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a Caffe network: the prototxt (text) and optionally its caffemodel (binary weights).
 *
 * <p>The network comes back in the V2 form (see {@link CaffeUpgrade}); the blobs come back by layer
 * name, each with a shape and float data. Problems the user can fix are {@link KilnException}s naming
 * the file (and line and column for the prototxt); fields of Caffe forks that Kiln does not know are
 * skipped with one warning each.
 */
public final class CaffeReader {
    /** How much of a file's start is looked at to tell text from binary. */
    private static final int SNIFF_BYTES = 4096;
    private static final String SWAPPED = "the prototxt and caffemodel arguments may be swapped";

    private CaffeReader() {
    }

    /**
     * Reads prototxt and, when caffemodel is not null, its weights. Warnings (skipped fields, repeated
     * layers) go to warnings, one line each; warnings may be null.
     */
    public static CaffeFiles read(Path prototxt, Path caffemodel, Consumer<String> warnings) {
        Consumer<String> warn = orIgnore(warnings);
        String text = new String(readAll(prototxt, "prototxt"), StandardCharsets.UTF_8);
        NetParameter net = parseText(text, prototxt.toString(), warn);
        Map<String, List<BlobProto>> blobs = new LinkedHashMap<>();
        if (caffemodel != null) {
            checkCaffemodel(caffemodel);
            blobs.putAll(CaffeBlobs.read(caffemodel, warn));
        }
        for (LayerParameter l : net.getLayerList()) {
            if (l.getBlobsCount() > 0 && blobs.getOrDefault(l.getName(), List.of()).isEmpty()) {
                CaffeBlobs.collect(blobs, l.getName(), l.getBlobsList(), prototxt, warn);
            }
        }
        return new CaffeFiles(net, Collections.unmodifiableMap(blobs));
    }

    /**
     * Parses prototxt text and upgrades it to the V2 form; fileNameForErrors prefixes every message.
     */
    public static NetParameter parseText(String text, String fileNameForErrors, Consumer<String> warnings) {
        String file = fileNameForErrors;
        if (text.isBlank()) {
            throw new KilnException(file + " is empty; expected a Caffe prototxt (the network definition)");
        }
        if (looksBinary(text.substring(0, Math.min(text.length(), SNIFF_BYTES)).getBytes(StandardCharsets.UTF_8))) {
            throw new KilnException(file + " holds binary data, not protobuf text (is it a caffemodel? " + SWAPPED + ")");
        }
        NetParameter net = CaffePrototxt.parse(text, file, orIgnore(warnings));
        if (net.getLayerCount() == 0 && net.getLayersCount() == 0) {
            throw new KilnException(file + " defines no layers (no 'layer' or 'layers' blocks); is it a Caffe"
                    + " network prototxt?");
        }
        return CaffeUpgrade.upgrade(net, file);
    }

    private static Consumer<String> orIgnore(Consumer<String> warnings) {
        return warnings == null ? w -> { } : warnings;
    }

    private static void checkCaffemodel(Path caffemodel) {
        byte[] head;
        try (InputStream in = Files.newInputStream(caffemodel)) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            throw fileError(caffemodel, "caffemodel", e);
        }
        if (head.length == 0) {
            throw new KilnException("caffemodel " + caffemodel + " is empty");
        }
        if (!looksBinary(head)) {
            throw new KilnException("caffemodel " + caffemodel + " is a text file, not binary Caffe weights (is it"
                    + " the prototxt? " + SWAPPED + ")");
        }
        try {
            if (Files.size(caffemodel) >= Integer.MAX_VALUE) {
                throw new KilnException("caffemodel " + caffemodel + " is 2 GB or more, which protobuf cannot read"
                        + " as one message");
            }
        } catch (IOException e) {
            throw fileError(caffemodel, "caffemodel", e);
        }
    }

    private static byte[] readAll(Path file, String role) {
        if (Files.isDirectory(file)) {
            throw new KilnException(role + " " + file + " is a directory, not a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw fileError(file, role, e);
        }
    }

    private static KilnException fileError(Path file, String role, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new KilnException(role + " " + file + " does not exist");
        }
        return new KilnException("cannot read " + role + " " + file + ": " + e.getMessage());
    }

    /**
     * True when the bytes hold control characters that text never does (protobuf tags and lengths of a
     * binary file); tab, line feed, form feed and carriage return count as text.
     */
    static boolean looksBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, SNIFF_BYTES); i++) {
            int c = bytes[i] & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
