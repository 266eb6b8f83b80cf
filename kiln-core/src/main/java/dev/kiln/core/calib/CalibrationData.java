package dev.kiln.core.calib;

import dev.kiln.core.KilnException;
import dev.kiln.core.config.CalibrationParameters;
import dev.kiln.core.config.InputParameters;
import dev.kiln.core.io.TensorFiles;

import dev.kiln.runtime.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The calibration samples of cal_data_dir: one directory per input, in input order; every file in
 * a directory is one sample (files sorted by name, hidden files and subdirectories ignored), and
 * the directories of several inputs are paired by position. Opening lists the files; each sample is
 * read when asked for ({@link SampleFiles} describes the formats).
 */
public final class CalibrationData implements CalibrationSamples {
    private final List<CalibrationInput> inputs;
    private final List<List<Path>> files;
    private final boolean preprocessOn;

    private CalibrationData(List<CalibrationInput> inputs, List<List<Path>> files, boolean preprocessOn) {
        this.inputs = inputs;
        this.files = files;
        this.preprocessOn = preprocessOn;
    }

    /** Lists the samples of the configuration's inputs (see {@link CalibrationInput#of}). */
    public static CalibrationData open(InputParameters inputs, CalibrationParameters calibration,
                                       Map<String, int[]> modelShapes) {
        return open(CalibrationInput.of(inputs, calibration, modelShapes), calibration.preprocessOn());
    }

    /**
     * Lists the sample files of each input. Fails when a directory is missing or empty, or when the
     * inputs' directories hold different numbers of files.
     */
    public static CalibrationData open(List<CalibrationInput> inputs, boolean preprocessOn) {
        if (inputs.isEmpty()) {
            throw new KilnException("no calibration inputs given");
        }
        List<List<Path>> files = new ArrayList<>();
        for (CalibrationInput in : inputs) {
            files.add(list(in));
        }
        for (int i = 1; i < inputs.size(); i++) {
            if (files.get(i).size() != files.get(0).size()) {
                CalibrationInput a = inputs.get(0);
                CalibrationInput b = inputs.get(i);
                throw new KilnException("cal_data_dir of input '" + a.name() + "' (" + a.source().dir() + ") holds "
                        + files.get(0).size() + " files but that of input '" + b.name() + "' (" + b.source().dir()
                        + ") holds " + files.get(i).size() + "; the inputs' files are paired in name order, so each"
                        + " directory must hold the same number of files");
            }
        }
        return new CalibrationData(List.copyOf(inputs), files, preprocessOn);
    }

    private static List<Path> list(CalibrationInput in) {
        Path dir = in.source().dir();
        if (dir == null) {
            throw new KilnException("input '" + in.name() + "' has no cal_data_dir");
        }
        if (!Files.isDirectory(dir)) {
            throw new KilnException("cal_data_dir " + dir + " of input '" + in.name() + "' "
                    + (Files.exists(dir) ? "is not a directory" : "does not exist"));
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).forEach(out::add);
        } catch (IOException e) {
            throw new KilnException("cannot list cal_data_dir " + dir + " of input '" + in.name() + "': " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new KilnException("cal_data_dir " + dir + " of input '" + in.name() + "' holds no calibration files");
        }
        out.sort((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()));
        return Collections.unmodifiableList(out);
    }

    @Override
    public int size() {
        return files.get(0).size();
    }

    @Override
    public Map<String, Tensor> get(int index) {
        Map<String, Tensor> sample = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            CalibrationInput in = inputs.get(i);
            sample.put(in.name(), SampleFiles.read(files.get(i).get(index), in, preprocessOn));
        }
        return sample;
    }

    @Override
    public List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (CalibrationInput in : inputs) {
            names.add(in.name());
        }
        return names;
    }

    @Override
    public String label(int index, String input) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).name().equals(input)) {
                return TensorFiles.stem(files.get(i).get(index));
            }
        }
        throw new IllegalArgumentException("no calibration input named '" + input + "'");
    }

    /** The files of one input, in sample order. */
    public List<Path> files(String input) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).name().equals(input)) {
                return files.get(i);
            }
        }
        throw new IllegalArgumentException("no calibration input named '" + input + "'");
    }
}
