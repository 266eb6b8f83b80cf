package dev.kiln.core.quant;

import dev.kiln.core.KilnException;
import dev.kiln.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of calibration: for each float activation tensor (by value name), the observed range
 * and the chosen threshold (|x| that maps to 127), with the method that chose it. Written as a
 * readable text file in the working directory; the quantizer only reads it (STYLE habit 8).
 */
public final class CalibrationTable {
    /** One tensor's statistics and threshold. */
    public record Entry(String tensor, float min, float max, float threshold, String method) {
        public Entry {
            if (!(threshold > 0) || Float.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold of " + tensor + " must be positive and finite, found "
                        + threshold);
            }
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final String method;
    private final boolean perChannelWeights;

    /**
     * @param method            the calibration method chosen overall (e.g. "kl", "max", "max_percentile 0.99995")
     * @param perChannelWeights whether weights are quantized per output channel
     */
    public CalibrationTable(String method, boolean perChannelWeights) {
        this.method = method;
        this.perChannelWeights = perChannelWeights;
    }

    public void put(Entry e) {
        entries.put(e.tensor(), e);
    }

    public Entry get(String tensor) {
        return entries.get(tensor);
    }

    public boolean has(String tensor) {
        return entries.containsKey(tensor);
    }

    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public String method() {
        return method;
    }

    public boolean perChannelWeights() {
        return perChannelWeights;
    }

    /** A copy with one threshold changed (used by searches over methods). */
    public CalibrationTable with(Entry e) {
        CalibrationTable t = copy(method, perChannelWeights);
        t.put(e);
        return t;
    }

    public CalibrationTable copy(String newMethod, boolean perChannel) {
        CalibrationTable t = new CalibrationTable(newMethod, perChannel);
        t.entries.putAll(entries);
        return t;
    }

    private static final String HEADER = "# Kiln calibration table";

    /** Writes the table as text: a header, then `tensor<TAB>min<TAB>max<TAB>threshold<TAB>method` lines. */
    public void write(Path file) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n');
        sb.append("# method: ").append(method).append('\n');
        sb.append("# weights: ").append(perChannelWeights ? "per_channel" : "per_tensor").append('\n');
        sb.append("# tensor\tmin\tmax\tthreshold\tmethod\n");
        for (Entry e : entries.values()) {
            sb.append(e.tensor()).append('\t').append(fmt(e.min())).append('\t').append(fmt(e.max())).append('\t')
                    .append(fmt(e.threshold())).append('\t').append(e.method()).append('\n');
        }
        try {
            AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new KilnException("cannot write calibration table " + file + ": " + ex.getMessage());
        }
    }

    private static String fmt(float v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }

    /** Reads a table written by {@link #write}. */
    public static CalibrationTable read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new KilnException("cannot read calibration table " + file + ": " + ex.getMessage());
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new KilnException(file + " is not a Kiln calibration table (first line should be '" + HEADER + "')");
        }
        String method = "";
        boolean perChannel = true;
        Map<String, Entry> rows = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("# method: ")) {
                method = l.substring("# method: ".length());
            } else if (l.startsWith("# weights: ")) {
                perChannel = l.endsWith("per_channel");
            } else if (!l.startsWith("#") && !l.isBlank()) {
                String[] f = l.split("\t");
                if (f.length != 5) {
                    throw new KilnException(file + " line " + (i + 1) + ": expected 5 tab-separated fields, found " + f.length);
                }
                try {
                    rows.put(f[0], new Entry(f[0], Float.parseFloat(f[1]), Float.parseFloat(f[2]), Float.parseFloat(f[3]), f[4]));
                } catch (IllegalArgumentException ex) {
                    throw new KilnException(file + " line " + (i + 1) + ": " + ex.getMessage());
                }
            }
        }
        CalibrationTable t = new CalibrationTable(method, perChannel);
        t.entries.putAll(rows);
        return t;
    }
}
