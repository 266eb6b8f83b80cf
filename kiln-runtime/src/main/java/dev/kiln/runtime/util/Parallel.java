package dev.kiln.runtime.util;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Intra-operator parallelism: splits a loop of independent tasks over a fixed number of threads
 * (the calling thread included), handing chunks out dynamically so uneven tasks balance. Workers
 * spin briefly between loops before parking, because an inference issues many short parallel loops
 * in a row and waking a parked thread costs tens of microseconds. A call made from inside a worker,
 * or while another thread is using the same pool, runs serially, which keeps nested kernels
 * deadlock-free and concurrent inferences correct.
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
    /** How long an idle worker spins before parking. */
    private static final long SPIN_NANOS = 200_000L;

    private final int threads;
    private final Thread[] workers;
    private final ReentrantLock submit = new ReentrantLock();
    private volatile Job job;

    /** One parallel loop in flight. */
    private static final class Job {
        final RangeBody body;
        final int n;
        final int grain;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        volatile RuntimeException failure;

        Job(RangeBody body, int n, int grain) {
            this.body = body;
            this.n = n;
            this.grain = grain;
            this.chunks = (n + grain - 1) / grain;
        }

        /** Runs chunks until none is left. */
        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                int from = c * grain;
                try {
                    if (failure == null) {
                        body.run(from, Math.min(n, from + grain));
                    }
                } catch (RuntimeException e) {
                    failure = e;
                } catch (Error e) {
                    failure = new IllegalStateException(e);
                } finally {
                    completed.incrementAndGet();
                }
            }
        }
    }

    private Parallel(int threads) {
        this.threads = threads;
        this.workers = new Thread[Math.max(0, threads - 1)];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, "kiln-worker-" + threads + "-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    private void workerLoop() {
        IN_WORKER.set(Boolean.TRUE);
        Job last = null;
        while (true) {
            Job j = job;
            if (j != null && j != last) {
                last = j;
                j.work();
                continue;
            }
            long until = System.nanoTime() + SPIN_NANOS;
            while ((j = job) == null || j == last) {
                if (System.nanoTime() > until) {
                    LockSupport.park(this);
                    until = System.nanoTime() + SPIN_NANOS;
                } else {
                    Thread.onSpinWait();
                }
            }
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
     * Runs body over tasks [0, n), in chunks of {@code grain} tasks, on up to {@link #threads()}
     * threads. Returns when all tasks are done; rethrows the first failure.
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        if (threads == 1 || n <= g || IN_WORKER.get() || !submit.tryLock()) {
            body.run(0, n);
            return;
        }
        Job j = new Job(body, n, g);
        try {
            job = j;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            IN_WORKER.set(Boolean.TRUE);
            try {
                j.work();
            } finally {
                IN_WORKER.set(Boolean.FALSE);
            }
            while (j.completed.get() < j.chunks) {
                Thread.onSpinWait();
            }
        } finally {
            submit.unlock();
        }
        if (j.failure != null) {
            throw j.failure;
        }
    }

    /** Splits [0, n) into about four chunks per thread, each at least minGrain tasks. */
    public void forRangeBalanced(int n, int minGrain, RangeBody body) {
        int chunks = threads * 4;
        int g = Math.max(minGrain, (n + chunks - 1) / chunks);
        forRange(n, g, body);
    }
}
