package dev.kiln.runtime.bin;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian byte buffer: what the .bin encoder writes into. */
final class ByteSink {
    private byte[] buf = new byte[4096];
    private int size;

    int size() {
        return size;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
    }

    void i32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    void i64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    void f32(float v) {
        i32(Float.floatToRawIntBits(v));
    }

    void f64(double v) {
        i64(Double.doubleToRawLongBits(v));
    }

    void bytes(byte[] b) {
        bytes(b, 0, b.length);
    }

    void bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** A string: int32 byte length, then UTF-8 (null is written as length -1). */
    void string(String s) {
        if (s == null) {
            i32(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        bytes(b);
    }

    void ints(int[] v) {
        if (v == null) {
            i32(-1);
            return;
        }
        i32(v.length);
        for (int x : v) {
            i32(x);
        }
    }

    void longs(long[] v) {
        if (v == null) {
            i32(-1);
            return;
        }
        i32(v.length);
        for (long x : v) {
            i64(x);
        }
    }

    void floats(float[] v) {
        if (v == null) {
            i32(-1);
            return;
        }
        i32(v.length);
        for (float x : v) {
            f32(x);
        }
    }

    /** Zero bytes up to the next multiple of {@code alignment}. */
    void align(int alignment) {
        int pad = (alignment - size % alignment) % alignment;
        ensure(pad);
        size += pad;
    }

    /** Overwrites 4 bytes at {@code at} (for lengths and offsets known only later). */
    void putI32(int at, int v) {
        for (int i = 0; i < 4; i++) {
            buf[at + i] = (byte) (v >>> (8 * i));
        }
    }

    void putI64(int at, long v) {
        for (int i = 0; i < 8; i++) {
            buf[at + i] = (byte) (v >>> (8 * i));
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
