package dev.kiln.core.pipeline;

import dev.kiln.core.KilnException;
import dev.kiln.core.Version;
import dev.kiln.core.compile.Compiler;
import dev.kiln.core.config.Config;
import dev.kiln.core.config.March;
import dev.kiln.core.config.ModelType;
import dev.kiln.core.ir.Model;
import dev.kiln.core.quant.QdqBuilder;
import dev.kiln.core.quant.QuantPlan;
import dev.kiln.core.quant.SkipCalibrator;
import dev.kiln.core.report.NodeReport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checker as a library (SPEC section 2, hb_mapper checker): parse, optimize and place the
 * model for a march, then print the node table (Node, ON, Subgraph, Type, In/Out DataType) and one
 * "Layer X will be executed on CPU: reason" line per CPU node. Inputs are float feature maps (no
 * preprocessing subgraph), as hb_mapper's checker treats them. The placement is the one makertbin
 * --fast-perf would compile: the same plan, quantized with skip thresholds and compiled, so the
 * subgraph ids are the compiler's; nothing is written but the log.
 */
public final class Checker {
    /** What a check found: the model as optimized, the plan, the compiler's placement and the table. */
    public record Result(Model optimized, QuantPlan plan, Map<String, Compiler.Placement> placement, NodeReport table,
                         List<String> cpuLines) {
    }

    private record Parsed(Config cfg, ParseStage.Result result) {
    }

    private Checker() {
    }

    /**
     * @param shapes --input-shape values by input name; inputs not named keep the model's shape,
     *               which must then be static
     */
    public static Result run(ModelType type, Path model, Path proto, March march, Map<String, int[]> shapes,
                             RunLog log) {
        log.info("Start Model Check (kiln " + Version.get() + ")");
        log.info("Model type: " + type.name().toLowerCase(Locale.ROOT) + ", march: " + march.key());
        Parsed p = log.stage("Parse", () -> {
            Model loaded = ModelFiles.load(type, model, proto, shapes, log);
            Config c = FeatureMapConfig.of(type, model, proto, loaded, march, shapes, Path.of("model_output"), "checker",
                    false);
            return new Parsed(c, Makertbin.parse(c, loaded, log));
        });
        Config cfg = p.cfg();
        ParseStage.Result parsed = p.result();
        Model optimized = log.stage("Optimize", () -> Makertbin.optimize(parsed.model(), log));
        QuantPlan plan = Makertbin.placement(cfg, optimized, log);
        QdqBuilder.Result quantized = QdqBuilder.quantized(optimized, plan, SkipCalibrator.calibrate(optimized));
        Compiler.Result compiled = log.stage("Compile", () -> Makertbin.compile(cfg, parsed, quantized.model(),
                plan.cpuNodes(optimized.graph()), log));
        NodeReport table = NodeReport.placement(optimized, plan, compiled.placement());
        log.lines("INFO", table.placementLines());
        Map<String, String> planned = plan.cpuNodes(optimized.graph());
        List<String> cpu = new ArrayList<>();
        for (NodeReport.Row r : table.rows()) {
            if (r.on().equals("CPU")) {
                Compiler.Placement c = compiled.placement().get(r.node());
                String why = planned.containsKey(r.node()) ? planned.get(r.node()) : c != null ? c.reason() : null;
                cpu.add("Layer " + r.node() + " will be executed on CPU: " + (why == null ? "placed on CPU" : why));
            }
        }
        for (String l : cpu) {
            log.info(l);
        }
        log.info((table.rows().size() - cpu.size()) + " of " + table.rows().size() + " nodes run on the integer engine (BPU)"
                + " on " + march.key());
        log.info("End Model Check");
        return new Result(optimized, plan, compiled.placement(), table, cpu);
    }

    /** "1x3x224x224" as dims, each > 0; the error names the input. */
    public static int[] parseShape(String input, String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x", -1);
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                dims[i] = -1;
            }
            if (dims[i] <= 0) {
                throw new KilnException("--input-shape " + input + ": '" + text + "' is not of the form 1x3x224x224 "
                        + "(every dimension a number > 0)");
            }
        }
        return dims;
    }
}
