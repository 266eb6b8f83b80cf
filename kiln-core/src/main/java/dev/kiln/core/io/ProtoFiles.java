package dev.kiln.core.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Parser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Binary protobuf files of any size protobuf can address (model files pass the default 64 MB limit). */
public final class ProtoFiles {
    private ProtoFiles() {
    }

    /**
     * Parses the whole file with parser, the size limit raised to 2 GB. Damaged or truncated data is an
     * {@link com.google.protobuf.InvalidProtocolBufferException}, which callers catch before IOException.
     */
    public static <T> T read(Path file, Parser<T> parser) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream cin = CodedInputStream.newInstance(in);
            cin.setSizeLimit(Integer.MAX_VALUE);
            cin.setRecursionLimit(1000);
            return parser.parseFrom(cin);
        }
    }
}
