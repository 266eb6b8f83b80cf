package dev.kiln.runtime.engine;

import dev.kiln.runtime.KilnRuntimeException;
import dev.kiln.runtime.bin.BinCodec;
import dev.kiln.runtime.bin.BinFile;
import dev.kiln.runtime.bin.CompiledModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A .bin file opened for inference: its models by name, each loaded on demand. Opening checks
 * the whole file (magic, version, size, checksum) before anything is used.
 */
public final class BinPackage {
    private final BinFile file;
    private final String source;

    private BinPackage(BinFile file, String source) {
        this.file = file;
        this.source = source;
    }

    /** Opens a .bin (memory-mapped). */
    public static BinPackage open(Path path) {
        if (Files.isDirectory(path)) {
            throw new KilnRuntimeException(path + " is a directory, not a .bin file");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new KilnRuntimeException(path + ": " + size + " bytes; .bin files over 2 GB are not supported");
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new BinPackage(BinCodec.decode(map, path.toString()), path.toString());
        } catch (NoSuchFileException e) {
            throw new KilnRuntimeException(path + ": no such file");
        } catch (IOException e) {
            throw new KilnRuntimeException(path + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads a .bin held in memory; {@code source} names it in error messages. */
    public static BinPackage read(byte[] bytes, String source) {
        return new BinPackage(BinCodec.decode(ByteBuffer.wrap(bytes), source), source);
    }

    public BinFile file() {
        return file;
    }

    public List<String> modelNames() {
        List<String> n = new ArrayList<>();
        for (CompiledModel m : file.models()) {
            n.add(m.name());
        }
        return n;
    }

    /** The named model (null: the file's only model), as compiled. */
    public CompiledModel compiled(String name) {
        if (name == null) {
            if (file.models().size() != 1) {
                throw new KilnRuntimeException(source + " holds " + file.models().size() + " models " + modelNames()
                        + "; name one (--model-name)");
            }
            return file.models().get(0);
        }
        CompiledModel m = file.model(name);
        if (m == null) {
            throw new KilnRuntimeException(source + " has no model named '" + name + "'; it holds " + modelNames());
        }
        return m;
    }

    /** Loads a model for inference with the given intra-model threads (0: the compiled core_num). */
    public LoadedModel load(String name, int threads) {
        return new LoadedModel(compiled(name), threads);
    }
}
