package dev.kiln.runtime.bin;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads little-endian values from a region of a .bin with bounds checks: running past the region
 * or meeting an impossible length is a {@link BinFormatException} naming the region and offset.
 */
final class ByteSource {
    /** Longest array or string the decoder accepts from a length field. */
    private static final int MAX_COUNT = Integer.MAX_VALUE - 64;

    private final ByteBuffer buf;
    private final String where;

    ByteSource(ByteBuffer region, String where) {
        this.buf = region.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.where = where;
    }

    int position() {
        return buf.position();
    }

    void position(int p) {
        if (p < 0 || p > buf.limit()) {
            throw fail("offset " + p + " outside the region (" + buf.limit() + " bytes)");
        }
        buf.position(p);
    }

    int remaining() {
        return buf.remaining();
    }

    /** The region's bytes [from, from + length) as a buffer, checked. */
    ByteBuffer slice(long from, long length) {
        if (from < 0 || length < 0 || from + length > buf.limit()) {
            throw fail("data at " + from + " (+" + length + " bytes) lies outside the region (" + buf.limit() + " bytes)");
        }
        return buf.duplicate().position((int) from).limit((int) (from + length)).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    BinFormatException fail(String what) {
        return new BinFormatException(where + ": " + what);
    }

    private void need(long n) {
        if (n > buf.remaining()) {
            throw fail("truncated record at offset " + buf.position() + " (needs " + n + " bytes, " + buf.remaining()
                    + " left)");
        }
    }

    int u8() {
        need(1);
        return buf.get() & 0xff;
    }

    int u16() {
        need(2);
        return buf.getShort() & 0xffff;
    }

    int i32() {
        need(4);
        return buf.getInt();
    }

    long i64() {
        need(8);
        return buf.getLong();
    }

    float f32() {
        need(4);
        return buf.getFloat();
    }

    double f64() {
        need(8);
        return buf.getDouble();
    }

    /** A count field: non-negative and plausible for elements of {@code elementBytes} each. */
    int count(int elementBytes) {
        int n = i32();
        if (n < 0 || n > MAX_COUNT || (long) n * Math.max(1, elementBytes) > buf.remaining()) {
            throw fail("impossible count " + n + " at offset " + (buf.position() - 4));
        }
        return n;
    }

    /** A length that may be -1 (null). */
    private int nullableCount(int elementBytes) {
        int at = buf.position();
        int n = i32();
        if (n == -1) {
            return -1;
        }
        buf.position(at);
        return count(elementBytes);
    }

    String string() {
        int n = nullableCount(1);
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    byte[] bytes(int n) {
        need(n);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    int[] ints() {
        int n = nullableCount(4);
        if (n < 0) {
            return null;
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = buf.getInt();
        }
        return v;
    }

    long[] longs() {
        int n = nullableCount(8);
        if (n < 0) {
            return null;
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = buf.getLong();
        }
        return v;
    }

    float[] floats() {
        int n = nullableCount(4);
        if (n < 0) {
            return null;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = buf.getFloat();
        }
        return v;
    }

    /** Advances to the next multiple of {@code alignment}. */
    void align(int alignment) {
        int pad = (alignment - buf.position() % alignment) % alignment;
        need(pad);
        buf.position(buf.position() + pad);
    }
}
