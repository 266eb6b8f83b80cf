package dev.kiln.runtime.util;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Intra-operator parallelism: splits a loop of independent tasks over a fixed number of threads
 * (the calling thread included). Tasks are handed out dynamically, so uneven tasks balance. A call
 * made from inside a worker runs serially, which keeps nested kernels deadlock-free.
 */
public final class Parallel {
    /** Body of a parallel loop: processes tasks [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final ConcurrentHashMap<Integer, Parallel> SHARED = new ConcurrentHashMap<>();
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final Parallel SERIAL = new Parallel(1);

    private final int threads;
    private final ExecutorService pool;

    private Parallel(int threads) {
        this.threads = threads;
        if (threads > 1) {
            AtomicInteger seq = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(() -> {
                    IN_WORKER.set(Boolean.TRUE);
                    r.run();
                }, "kiln-worker-" + threads + "-" + seq.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(threads - 1, tf);
        } else {
            pool = null;
        }
    }

    /** A shared pool with the given number of threads (at least 1). */
    public static Parallel of(int threads) {
        int t = Math.max(1, threads);
        return t == 1 ? SERIAL : SHARED.computeIfAbsent(t, Parallel::new);
    }

    public static Parallel serial() {
        return SERIAL;
    }

    /** Threads to use by default: system property kiln.threads, else the number of processors. */
    public static int defaultThreads() {
        String p = System.getProperty("kiln.threads");
        if (p != null) {
            try {
                return Math.max(1, Integer.parseInt(p.trim()));
            } catch (NumberFormatException ignored) {
                // fall through to the processor count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs body over tasks [0, n), in chunks of at least {@code grain} tasks, on up to
     * {@link #threads()} threads. Returns when all tasks are done; rethrows the first failure.
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        if (threads == 1 || n <= g || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        int chunks = (n + g - 1) / g;
        int workers = Math.min(threads, chunks);
        AtomicInteger next = new AtomicInteger();
        Runnable loop = () -> {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                int from = c * g;
                body.run(from, Math.min(n, from + g));
            }
        };
        @SuppressWarnings("unchecked")
        Future<?>[] fs = new Future<?>[workers - 1];
        for (int i = 0; i < workers - 1; i++) {
            fs[i] = pool.submit(loop);
        }
        RuntimeException failure = null;
        boolean wasWorker = IN_WORKER.get();
        IN_WORKER.set(Boolean.TRUE);
        try {
            loop.run();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            IN_WORKER.set(wasWorker);
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    Throwable c = e.getCause();
                    failure = c instanceof RuntimeException ? (RuntimeException) c : new IllegalStateException(c);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Splits [0, n) into about one chunk per thread times {@code perThread}, each at least minGrain. */
    public void forRangeBalanced(int n, int minGrain, RangeBody body) {
        int chunks = threads * 4;
        int g = Math.max(minGrain, (n + chunks - 1) / chunks);
        forRange(n, g, body);
    }
}
