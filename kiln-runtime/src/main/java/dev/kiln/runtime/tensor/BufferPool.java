package dev.kiln.runtime.tensor;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Recycles tensor storage between the operators of a run and across runs: an executor returns the
 * arrays of intermediate values after their last use, and {@link Tensor#allocate} takes arrays of
 * the right type and length from the pool installed on the current thread. Reused memory is warm in
 * cache and spares the garbage collector the large short-lived arrays of every inference.
 *
 * <p>A pool belongs to one run at a time (it is not thread-safe); kernels running on worker threads
 * allocate normally.
 */
public final class BufferPool {
    private static final ThreadLocal<BufferPool> CURRENT = new ThreadLocal<>();
    /** Arrays kept per (type, length); more are dropped. */
    private static final int MAX_PER_SIZE = 16;

    private final Map<Long, ArrayDeque<Object>> free = new HashMap<>();
    /** Arrays this pool handed out (taken or newly allocated) and not yet given back or forgotten. */
    private final java.util.Set<Object> handedOut = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final long maxBytes;
    private long pooledBytes;

    public BufferPool(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The pool installed on this thread, or null. */
    public static BufferPool current() {
        return CURRENT.get();
    }

    /** Runs body with this pool installed on the calling thread. */
    public <T> T use(Supplier<T> body) {
        BufferPool prev = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.get();
        } finally {
            if (prev == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(prev);
            }
        }
    }

    private static long key(Class<?> storage, int length) {
        int kind;
        if (storage == float[].class) {
            kind = 1;
        } else if (storage == byte[].class) {
            kind = 2;
        } else if (storage == int[].class) {
            kind = 3;
        } else if (storage == long[].class) {
            kind = 4;
        } else if (storage == short[].class) {
            kind = 5;
        } else {
            kind = 6;
        }
        return ((long) kind << 32) | (length & 0xffffffffL);
    }

    private static long bytes(Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        if (array instanceof float[] || array instanceof int[]) {
            return 4L * n;
        }
        if (array instanceof long[] || array instanceof double[]) {
            return 8L * n;
        }
        if (array instanceof short[]) {
            return 2L * n;
        }
        return n;
    }

    /** An array of the given storage class and length, or null when none is free. Not zeroed. */
    public Object take(Class<?> storage, int length) {
        ArrayDeque<Object> q = free.get(key(storage, length));
        if (q == null || q.isEmpty()) {
            return null;
        }
        Object a = q.pop();
        pooledBytes -= bytes(a);
        handedOut.add(a);
        return a;
    }

    /** Records an array newly allocated while this pool was installed, so it may come back later. */
    public void noteAllocated(Object array) {
        handedOut.add(array);
    }

    /** The array escapes the run (a kept value or an output): never take it back. */
    public void forget(Object array) {
        handedOut.remove(array);
    }

    /** Forgets every array still handed out; called at the end of a run. */
    public void forgetAll() {
        handedOut.clear();
    }

    /** Offers an array no live tensor uses any more; only arrays this pool handed out are taken back. */
    public void give(Object array) {
        if (array == null || !handedOut.remove(array)) {
            return;
        }
        int n = java.lang.reflect.Array.getLength(array);
        long b = bytes(array);
        if (n < 256 || pooledBytes + b > maxBytes) {
            return;
        }
        ArrayDeque<Object> q = free.computeIfAbsent(key(array.getClass(), n), k -> new ArrayDeque<>());
        if (q.size() < MAX_PER_SIZE) {
            q.push(array);
            pooledBytes += b;
        }
    }

    public long pooledBytes() {
        return pooledBytes;
    }
}
