package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.Version;
import dev.kiln.core.calib.CalibrationData;
import dev.kiln.core.compile.BinWriter;
import dev.kiln.core.compile.CompileOptions;
import dev.kiln.core.compile.Compiler;
import dev.kiln.core.tools.BinModifier;
import dev.kiln.runtime.bin.CompiledModel;
import dev.kiln.runtime.bin.DeletedNode;
import dev.kiln.core.calib.CalibrationSamples;
import dev.kiln.core.config.CalibrationParameters;
import dev.kiln.core.config.CompilerParameters;
import dev.kiln.core.config.Config;
import dev.kiln.core.config.ConfigLoader;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.ModelParameters;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.io.onnx.OnnxExporter;
import dev.kiln.core.io.onnx.OnnxImporter;
import dev.kiln.core.ir.Model;
import dev.kiln.core.ir.Value;
import dev.kiln.core.passes.Optimizer;
import dev.kiln.core.passes.PassLog;
import dev.kiln.core.passes.UpgradeOpset;
import dev.kiln.core.quant.Calibration;
import dev.kiln.core.quant.CalibrationSettings;
import dev.kiln.core.quant.CalibrationTable;
import dev.kiln.core.quant.FakeQuantEvaluator;
import dev.kiln.core.quant.MarchProfile;
import dev.kiln.core.quant.QdqBuilder;
import dev.kiln.core.quant.QuantPlan;
import dev.kiln.core.report.NodeReport;
import dev.kiln.core.util.ProgressSink;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * makertbin as a library (SPEC section 1): parse -> optimize -> calibrate -> quantize, writing
 * {@code <p>_original_float_model.onnx}, {@code <p>_optimized_float_model.onnx},
 * {@code <p>_calibrated_model.onnx}, {@code <p>_quantized_model.onnx} and the calibration table
 * into working_dir, and printing the node-by-node report. Each stage is also callable on its own.
 * Artefacts are written into a staging directory and moved into place only when every stage has
 * succeeded, so a failed run leaves nothing under a final name.
 */
public final class Makertbin {
    /** Samples the default/mix search scores its candidates on. */
    private static final int SEARCH_SAMPLES = 8;

    /** How to run: worker threads and where the calibration progress bar goes. */
    public record Options(int threads, ProgressSink progress) {
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), ProgressSink.NONE);
        }
    }

    /** Everything a run produced. */
    public record Result(Model original, Model optimized, QuantPlan plan, CalibrationTable table,
                         QdqBuilder.Result calibrated, QdqBuilder.Result quantized, Compiler.Result compiled,
                         NodeReport report, Map<String, Tensor> reportSample, Map<String, Path> files) {
    }

    private Makertbin() {
    }

    /** Loads and validates a configuration file (all problems at once, as a ConfigException). */
    public static Config loadConfig(Path yaml, ModelType type) {
        return ConfigLoader.load(yaml, type);
    }

    /**
     * The configuration of {@code makertbin --fast-perf} (SPEC section 2): the model's inputs as
     * feature maps of their own shape (dynamic dims must be fixed by the model), calibration_type
     * skip (no data, accuracy meaningless), every operator with an integer kernel on the integer
     * engine, optimize level O3; artefacts in model_output/ named after the model file.
     */
    public static Config fastPerfConfig(Path model, dev.kiln.core.config.March march, Path workingDir) {
        return fastPerfConfig(ModelType.ONNX, model, null, march, workingDir);
    }

    /** As {@link #fastPerfConfig(Path, dev.kiln.core.config.March, Path)} for ONNX (proto null) or Caffe. */
    public static Config fastPerfConfig(ModelType type, Path model, Path proto, dev.kiln.core.config.March march,
                                        Path workingDir) {
        if (!Files.isRegularFile(model)) {
            throw new KilnException("--model: " + model + " does not exist");
        }
        if (type == ModelType.CAFFE && (proto == null || !Files.isRegularFile(proto))) {
            throw new KilnException("--fast-perf with --model-type caffe needs --proto P, the prototxt"
                    + (proto == null ? "" : " (" + proto + " does not exist)"));
        }
        Model m = ModelFiles.load(type, model, proto, Map.of(), RunLog.silent());
        return FeatureMapConfig.of(type, model, proto, m, march, Map.of(), workingDir, "--fast-perf", true);
    }

    /** The full conversion. */
    public static Result run(Config cfg, RunLog log, Options opts) {
        ModelParameters mp = cfg.model();
        Path work = mp.workingDir();
        String prefix = mp.outputModelFilePrefix();
        log.info("Start Model Convert (kiln " + Version.get() + ")");
        log.info("Model type: " + (mp.onnxModel() != null ? "onnx" : "caffe"));
        log.info("Working dir: " + work.toAbsolutePath());
        log.info("Output file prefix: " + prefix);
        log.info("Dump config:\n" + ConfigLoader.dump(cfg).stripTrailing());
        for (String w : cfg.warnings()) {
            log.warn(w);
        }
        Path staging;
        try {
            Files.createDirectories(work);
            staging = Files.createTempDirectory(work, ".kiln-staging-");
        } catch (IOException e) {
            throw new KilnException("cannot create working_dir " + work + ": " + e.getMessage());
        }
        Map<String, Path> staged = new LinkedHashMap<>();
        boolean ok = false;
        try {
            ParseStage.Result parsed = log.stage("Parse", () -> parse(cfg, log));
            Model original = parsed.model();
            CalibrationSamples samples = samples(cfg, parsed, original, log);
            save(original, staging, prefix + "_original_float_model.onnx", staged, log);

            Model optimized = log.stage("Optimize", () -> optimize(original, log));
            boolean load = cfg.calibration().type() == CalibrationParameters.CalibrationType.LOAD;
            Path tableFile = staging.resolve(prefix + "_calibration_table.txt");
            // load: the thresholds come from the model's own quantization nodes, which then go
            CalibrationTable loaded = load ? loadThresholds(cfg, optimized, tableFile, opts, log) : null;
            save(optimized, staging, prefix + "_optimized_float_model.onnx", staged, log);

            QuantPlan plan = plan(cfg, optimized, log);
            CalibrationTable table = load ? completeLoaded(loaded, optimized, plan, tableFile, log)
                    : log.stage("Calibrate", () -> calibrate(cfg, optimized, plan, samples, tableFile, opts, log));
            staged.put(prefix + "_calibration_table.txt", tableFile);

            QdqBuilder.Result calibrated = QdqBuilder.calibrated(optimized, plan, table);
            annotate(calibrated.model(), cfg);
            save(calibrated.model(), staging, prefix + "_calibrated_model.onnx", staged, log);
            QdqBuilder.Result quantized = log.stage("Quantize", () -> QdqBuilder.quantized(optimized, plan, table));
            annotate(quantized.model(), cfg);
            save(quantized.model(), staging, prefix + "_quantized_model.onnx", staged, log);

            Compiler.Result compiled = log.stage("Compile", () -> compile(cfg, parsed, quantized.model(),
                    plan.cpuNodes(optimized.graph()), log));
            Path bin = staging.resolve(prefix + ".bin");
            BinWriter.write(bin, BinWriter.file(List.of(compiled.model()), false));
            staged.put(prefix + ".bin", bin);
            log.info("Wrote " + prefix + ".bin (" + Files.size(bin) + " bytes)");

            Map<String, Tensor> first = firstSample(samples, optimized);
            NodeReport report = NodeReport.compute(optimized, quantized, plan, table, first, compiled.placement(),
                    opts.threads());
            log.lines("INFO", report.lines());

            Map<String, Path> files = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : staged.entrySet()) {
                Path target = work.resolve(e.getKey());
                Files.move(e.getValue(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                files.put(e.getKey(), target);
            }
            log.info("Convert to runtime bin file successfully!");
            log.info("End Model Convert");
            ok = true;
            return new Result(original, optimized, plan, table, calibrated, quantized, compiled, report, first, files);
        } catch (IOException e) {
            throw new KilnException("cannot write into working_dir " + work + ": " + e.getMessage());
        } finally {
            deleteTree(staging);
            if (!ok) {
                log.error("No artefacts were written: the run failed before its end");
            }
        }
    }

    /**
     * Compile stage: the quantized model becomes the runtime's program (SPEC sections 5 and 10).
     *
     * @param cpuNodes the plan's CPU nodes with their reasons ({@link QuantPlan#cpuNodes})
     */
    public static Compiler.Result compile(Config cfg, ParseStage.Result parsed, Model quantized,
                                          Map<String, String> cpuNodes, RunLog log) {
        CompilerParameters cp = cfg.compiler();
        ModelParameters mp = cfg.model();
        CompileOptions o = new CompileOptions(mp.outputModelFilePrefix(), cp.optimizeLevel(), cp.compileMode(),
                Math.max(1, cp.coreNum()), Math.max(1, cp.jobs()), cp.debug(), mp.layerOutDump(), mp.march().key(),
                parsed.inputs(), ConfigLoader.dump(cfg));
        log.info("Compile: optimize_level " + cp.optimizeLevel() + ", compile_mode "
                + cp.compileMode().name().toLowerCase(java.util.Locale.ROOT) + ", core_num " + o.coreNum()
                + ", march " + o.march());
        Compiler.Result r = Compiler.compile(quantized, o, cpuNodes);
        for (String line : r.log()) {
            log.info(line);
        }
        if (!mp.removeNodeName().isEmpty() || !mp.removeNodeType().isEmpty()) {
            CompiledModel m = BinModifier.remove(r.model(), mp.removeNodeName(), mp.removeNodeType(),
                    "model_parameters: remove_node_name", "model_parameters: remove_node_type");
            for (DeletedNode d : m.deleted()) {
                log.info("Removed " + d.name() + " (" + d.opType() + "): " + d.detail());
            }
            r = new Compiler.Result(m, r.placement(), r.log());
        }
        return r;
    }

    /** Parse stage: import, upgrade to opset 13, input overrides and preprocessing. */
    public static ParseStage.Result parse(Config cfg, RunLog log) {
        ModelParameters mp = cfg.model();
        Model m;
        if (mp.onnxModel() != null) {
            m = ModelFiles.load(ModelType.ONNX, mp.onnxModel(), null, Map.of(), log);
        } else {
            // Caffe layers convert with static shapes: input_shape applies while converting
            Map<String, int[]> shapes = new HashMap<>();
            for (InputSpec s : cfg.input().inputs()) {
                if (s.shape() != null) {
                    shapes.put(s.name() == null ? "" : s.name(), s.shape());
                }
            }
            m = ModelFiles.load(ModelType.CAFFE, mp.caffeModel(), mp.prototxt(), shapes, log);
        }
        return parse(cfg, m, log);
    }

    /** Parse stage on a model already loaded by {@link ModelFiles}: input overrides and preprocessing. */
    public static ParseStage.Result parse(Config cfg, Model loaded, RunLog log) {
        ParseStage.Result r = ParseStage.run(loaded, cfg.input(), cfg.model());
        for (InputSpec s : r.inputs()) {
            log.info("Input " + s.name() + ": " + InputSpecs.describe(s));
        }
        return r;
    }

    /** Optimize stage on a copy of the model. */
    public static Model optimize(Model original, RunLog log) {
        Model copy = OnnxImporter.fromProto(OnnxExporter.toProto(original), null);
        Optimizer.optimize(copy, passLog(log));
        log.info("Optimized model: " + copy.graph().nodes().size() + " nodes");
        return copy;
    }

    private static PassLog passLog(RunLog log) {
        return new PassLog() {
            @Override
            public void info(String message) {
                log.info(message);
            }

            @Override
            public void warn(String message) {
                log.warn(message);
            }
        };
    }

    /** The quantization plan from the configuration's placement and int16 requests. */
    public static QuantPlan plan(Config cfg, Model optimized, RunLog log) {
        QuantPlan plan = placement(cfg, optimized, log);
        logPlacement(optimized, plan, log);
        return plan;
    }

    /** The plan as {@link #plan} makes it, logging only its warnings (the checker prints placement itself). */
    public static QuantPlan placement(Config cfg, Model optimized, RunLog log) {
        CalibrationParameters cp = cfg.calibration();
        Set<String> cpu = new HashSet<>(cp.runOnCpu());
        Set<String> bpu = new HashSet<>(cp.runOnBpu());
        Set<String> int16 = new HashSet<>();
        for (Map.Entry<String, ModelParameters.NodeInfo> e : cfg.model().nodeInfo().entrySet()) {
            ModelParameters.NodeInfo ni = e.getValue();
            if (ni.on() == ModelParameters.Placement.CPU) {
                cpu.add(e.getKey());
            } else if (ni.on() == ModelParameters.Placement.BPU) {
                bpu.add(e.getKey());
            }
            if (ni.inputType() == ModelParameters.QuantType.INT16 || ni.outputType() == ModelParameters.QuantType.INT16) {
                int16.add(e.getKey());
            }
        }
        boolean all16 = cp.optimizations().contains(CalibrationParameters.Optimization.SET_ALL_NODES_INT16);
        QuantPlan.Options options = new QuantPlan.Options(cpu, bpu, int16, all16, MarchProfile.of(cfg.model().march()));
        QuantPlan plan = QuantPlan.build(optimized, options);
        for (String w : plan.warnings()) {
            log.warn(w);
        }
        if (plan.quantized().containsValue(DType.INT16) && optimized.opset("") < UpgradeOpset.INT16_TARGET) {
            UpgradeOpset.apply(optimized, UpgradeOpset.INT16_TARGET, log::info);
            plan = QuantPlan.build(optimized, options);
        }
        return plan;
    }

    /** One "Layer X will be executed on CPU: reason" line per CPU node, and the count of integer nodes. */
    private static void logPlacement(Model optimized, QuantPlan plan, RunLog log) {
        int bpuNodes = 0;
        for (var n : optimized.graph().nodes()) {
            if (plan.placement(n) == QuantPlan.Placement.BPU) {
                bpuNodes++;
            } else {
                log.info("Layer " + n.name() + " will be executed on CPU: " + plan.cpuReason(n));
            }
        }
        log.info(bpuNodes + " of " + optimized.graph().nodes().size() + " nodes run on the integer engine (BPU), "
                + plan.quantized().size() + " tensors quantized");
    }

    /** The calibration samples, converted to the parsed model's input types. */
    private static CalibrationSamples samples(Config cfg, ParseStage.Result parsed, Model original, RunLog log) {
        CalibrationParameters cp = cfg.calibration();
        if (cp.type() == CalibrationParameters.CalibrationType.SKIP || cp.type() == CalibrationParameters.CalibrationType.LOAD) {
            return null;
        }
        Map<String, int[]> shapes = new HashMap<>();
        Map<String, InputSpec> specs = new HashMap<>();
        for (InputSpec s : parsed.inputs()) {
            shapes.put(s.name(), s.shape());
            specs.put(s.name(), s);
        }
        CalibrationData data = CalibrationData.open(new dev.kiln.core.config.InputParameters(parsed.inputs()), cp, shapes);
        log.info("Calibration data: " + data.size() + " samples");
        return data.converted((input, sample) -> {
            InputSpec s = specs.get(input);
            return s == null || !InputSpecs.isImage(s) ? sample.castTo(DType.FLOAT) : InputConversion.toIntermediate(sample, s);
        });
    }

    /** Calibration stage: statistics over the samples and the method search. */
    public static CalibrationTable calibrate(Config cfg, Model optimized, QuantPlan plan, CalibrationSamples samples,
                                             Path tableFile, Options opts, RunLog log) {
        CalibrationParameters cp = cfg.calibration();
        Path dump = cfg.model().debugModes().contains(ModelParameters.DebugMode.DUMP_CALIBRATION_DATA)
                ? cfg.model().workingDir().resolve("calibration_data_dump") : null;
        CalibrationSettings settings = CalibrationSettings.from(cp, dump).withThreads(opts.threads());
        FakeQuantEvaluator evaluator = null;
        if (samples != null && (cp.type() == CalibrationParameters.CalibrationType.DEFAULT
                || cp.type() == CalibrationParameters.CalibrationType.MIX)) {
            List<Map<String, Tensor>> few = new ArrayList<>();
            for (int i = 0; i < Math.min(SEARCH_SAMPLES, samples.size()); i++) {
                few.add(samples.get(i));
            }
            evaluator = new FakeQuantEvaluator(optimized, plan, few, opts.threads());
        }
        Calibration.Result r = Calibration.run(optimized, settings, samples, evaluator, log::info, opts.progress(),
                tableFile);
        if (r.warning() != null) {
            log.warn(r.warning());
        }
        return r.table();
    }

    /** calibration_type load: thresholds from the model's QuantizeLinear/DequantizeLinear, which are removed. */
    private static CalibrationTable loadThresholds(Config cfg, Model optimized, Path tableFile, Options opts, RunLog log) {
        CalibrationTable t = log.stage("Calibrate", () -> calibrate(cfg, optimized, null, null, null, opts, log));
        int removed = dev.kiln.core.passes.StripQuantization.apply(optimized);
        log.info("Removed " + removed + " quantization nodes of the quantization-aware model");
        return t;
    }

    /**
     * Loaded thresholds cover the tensors the trained model quantized; a tensor the plan quantizes
     * without one takes the threshold of its producer's quantized input (the operators between
     * quantization nodes of QAT models keep ranges), repeatedly. Tensors still without one are an
     * error naming them.
     */
    private static CalibrationTable completeLoaded(CalibrationTable t, Model optimized, QuantPlan plan, Path tableFile,
                                                   RunLog log) {
        CalibrationTable out = t.copy(t.method(), t.perChannelWeights());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Value v : plan.quantized().keySet()) {
                String name = plan.scaleSource(v).name();
                if (out.has(name) || v.producer() == null) {
                    continue;
                }
                for (Value in : v.producer().inputs()) {
                    if (in != null && out.has(plan.scaleSource(in).name())) {
                        CalibrationTable.Entry e = out.get(plan.scaleSource(in).name());
                        out.put(new CalibrationTable.Entry(name, e.min(), e.max(), e.threshold(), "load (propagated)"));
                        changed = true;
                        break;
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (Value v : plan.quantized().keySet()) {
            if (!out.has(plan.scaleSource(v).name())) {
                missing.add(v.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new KilnException("calibration_type load: no threshold for " + missing.size() + " tensor(s) the model"
                    + " quantizes, e.g. " + missing.subList(0, Math.min(5, missing.size())) + "; the quantization-aware"
                    + " model must carry QuantizeLinear/DequantizeLinear on them, or calibrate with data instead");
        }
        out.write(tableFile);
        log.info("Thresholds: " + t.entries().size() + " loaded, " + (out.entries().size() - t.entries().size())
                + " propagated through operators without quantization nodes");
        return out;
    }

    /** The first calibration sample, or (skip/load) a fixed pseudo-random input. */
    private static Map<String, Tensor> firstSample(CalibrationSamples samples, Model m) {
        if (samples != null && samples.size() > 0) {
            return samples.get(0);
        }
        Map<String, Tensor> in = new LinkedHashMap<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(2026);
        for (Value v : m.graph().inputs()) {
            Tensor t = Tensor.allocate(v.type().dtype(), v.type().shape());
            for (int i = 0; i < t.size(); i++) {
                t.setDouble(i, t.dtype() == DType.INT8 ? r.nextInt(-128, 128) : r.nextGaussian());
            }
            in.put(v.name(), t);
        }
        return in;
    }

    /** Records the configuration and Kiln's version in the model's metadata. */
    private static void annotate(Model m, Config cfg) {
        m.metadata().put("kiln.version", Version.get());
        m.metadata().put("kiln.config", ConfigLoader.dump(cfg));
    }

    private static void save(Model m, Path staging, String name, Map<String, Path> staged, RunLog log) {
        Path p = staging.resolve(name);
        OnnxExporter.save(m, p);
        staged.put(name, p);
        log.info("Wrote " + name);
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
