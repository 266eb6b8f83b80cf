package dev.kiln.core.util;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * Where long-running stages report progress. {@link #console} draws a progress bar (items done,
 * rate, time left) on the given stream; {@link #NONE} reports nothing, for tests and embedding.
 */
@FunctionalInterface
public interface ProgressSink {
    /** One task in progress; {@link Task#step} may be called from several threads. */
    interface Task extends AutoCloseable {
        void step();

        @Override
        void close();
    }

    Task start(String name, long total);

    ProgressSink NONE = (name, total) -> new Task() {
        @Override
        public void step() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * An ASCII progress bar on {@code out}, e.g. {@code calibration 100% [====] 100/100 samples
     * (0:00:04 / 0:00:00) 25.0 samples/s}. The stream is not closed.
     *
     * @param unit what is counted, e.g. "samples"
     */
    static ProgressSink console(PrintStream out, String unit) {
        return (name, total) -> {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(name)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ClosingOnce(out))
                    .setUnit(" " + unit, 1)
                    .setUpdateIntervalMillis(250)
                    .showSpeed()
                    .build();
            return new Task() {
                @Override
                public void step() {
                    bar.step();
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }

    /**
     * The library's console consumer, made safe against its own race: when a bar is closed, a
     * periodic refresh already running may render once more after the final line and its newline.
     * Here nothing is drawn after the first close, so the final line always ends the output.
     */
    final class ClosingOnce extends ConsoleProgressBarConsumer {
        private boolean closed;

        ClosingOnce(PrintStream out) {
            super(out, 100);
        }

        @Override
        public synchronized void accept(String rendered) {
            if (!closed) {
                super.accept(rendered);
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                super.close();
            }
        }
    }
}
