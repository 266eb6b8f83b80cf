package dev.kiln.core.calib;

import dev.kiln.core.io.TensorFiles;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An indexed set of calibration samples, each a map from input name to tensor. Samples are loaded
 * when asked for, never all at once, and {@link #get} may be called from several threads.
 */
public interface CalibrationSamples {
    /** Number of samples. */
    int size();

    /** Sample {@code index} (0-based), freshly loaded: the caller owns the tensors. */
    Map<String, Tensor> get(int index);

    /** The input names, in input order. */
    List<String> inputNames();

    /** A short name of sample {@code index} for one input (its file name without extension). */
    String label(int index, String input);

    /** The samples one after the other; each is loaded when the stream reaches it. */
    default Stream<Map<String, Tensor>> stream() {
        return IntStream.range(0, size()).mapToObj(this::get);
    }

    /** These samples with each tensor passed through {@code converter}. */
    default CalibrationSamples converted(SampleConverter converter) {
        CalibrationSamples base = this;
        return new CalibrationSamples() {
            @Override
            public int size() {
                return base.size();
            }

            @Override
            public Map<String, Tensor> get(int index) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : base.get(index).entrySet()) {
                    out.put(e.getKey(), converter.convert(e.getKey(), e.getValue()));
                }
                return out;
            }

            @Override
            public List<String> inputNames() {
                return base.inputNames();
            }

            @Override
            public String label(int index, String input) {
                return base.label(index, input);
            }
        };
    }

    /** Only the first {@code count} samples (all of them when count is larger). */
    default CalibrationSamples limit(int count) {
        CalibrationSamples base = this;
        int n = Math.min(count, base.size());
        return new CalibrationSamples() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Map<String, Tensor> get(int index) {
                if (index < 0 || index >= n) {
                    throw new IndexOutOfBoundsException("sample " + index + " of " + n);
                }
                return base.get(index);
            }

            @Override
            public List<String> inputNames() {
                return base.inputNames();
            }

            @Override
            public String label(int index, String input) {
                return base.label(index, input);
            }
        };
    }

    /**
     * Writes one sample as .npy files (debug_mode dump_calibration_data): {@code dir/<input>/<label>.npy},
     * input and label made safe as file names.
     */
    static void dump(Path dir, CalibrationSamples samples, int index, Map<String, Tensor> sample) {
        for (Map.Entry<String, Tensor> e : sample.entrySet()) {
            Path sub = dir.resolve(TensorFiles.sanitize(e.getKey()));
            TensorFiles.writeNpy(sub.resolve(TensorFiles.sanitize(samples.label(index, e.getKey())) + ".npy"), e.getValue());
        }
    }

    /** Writes every sample with {@link #dump(Path, CalibrationSamples, int, Map)}, one at a time. */
    static void dumpAll(Path dir, CalibrationSamples samples) {
        for (int i = 0; i < samples.size(); i++) {
            dump(dir, samples, i, samples.get(i));
        }
    }
}
