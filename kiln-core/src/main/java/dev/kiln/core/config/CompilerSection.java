package dev.kiln.core.config;

import dev.kiln.core.config.CompilerParameters.CompileMode;
import dev.kiln.core.config.CompilerParameters.InputSource;
import dev.kiln.core.config.CompilerParameters.OptimizeLevel;
import dev.kiln.core.config.InputParameters.InputSpec;
import dev.kiln.core.config.InputParameters.InputType;
import dev.kiln.core.config.YamlTree.Scalar;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and checks the compiler_parameters group. */
final class CompilerSection {
    static final String NAME = "compiler_parameters";
    static final List<String> KEYS = List.of("compile_mode", "debug", "core_num", "optimize_level", "input_source",
            "max_time_per_fc", "jobs");
    static final int DEFAULT_JOBS = 16;
    /** max_time_per_fc: 0 (no limit) or this range, in microseconds, as hb_mapper accepts. */
    static final long MIN_TIME_PER_FC = 1000;
    static final long MAX_TIME_PER_FC = 4294967295L;

    private static final Map<String, CompileMode> MODES = Group.lowerCaseNames(CompileMode.values());
    private static final Map<String, OptimizeLevel> LEVELS = Group.upperCaseNames(OptimizeLevel.values());
    private static final Map<String, InputSource> SOURCES = Group.lowerCaseNames(InputSource.values());

    private CompilerSection() {
    }

    /** @param inputs the inputs read from input_parameters, or null when that group is missing */
    static CompilerParameters read(Group g, InputParameters inputs) {
        CompileMode mode = g.choice("compile_mode", MODES, CompileMode.LATENCY);
        boolean debug = g.bool("debug", false);
        int coreNum = 1;
        Long cores = g.integer("core_num");
        if (cores != null) {
            if (cores != 1 && cores != 2) {
                g.error("'core_num': " + cores + " is not one of 1, 2");
            } else {
                coreNum = (int) (long) cores;
            }
        }
        OptimizeLevel level = g.choice("optimize_level", LEVELS, OptimizeLevel.O0);
        long maxTime = 0;
        Long t = g.integer("max_time_per_fc");
        if (t != null) {
            if (t != 0 && (t < MIN_TIME_PER_FC || t > MAX_TIME_PER_FC)) {
                g.error("'max_time_per_fc': " + t + " is out of range; expected 0 (no limit) or " + MIN_TIME_PER_FC
                        + " to " + MAX_TIME_PER_FC + " microseconds");
            } else {
                maxTime = t;
            }
        }
        int jobs = DEFAULT_JOBS;
        Long j = g.integer("jobs");
        if (j != null) {
            if (j < 1 || j > Integer.MAX_VALUE) {
                g.error("'jobs': " + j + " is out of range; expected 1 or more");
            } else {
                jobs = (int) (long) j;
            }
        }
        Map<String, InputSource> sources = inputs == null ? Map.of() : inputSources(g, inputs);
        return new CompilerParameters(mode, debug, coreNum, level, sources, maxTime, jobs);
    }

    /** The sources an input_type_rt may come from (hb_mapper's table). */
    static Set<InputSource> allowedSources(InputType rt) {
        switch (rt) {
            case NV12: return EnumSet.of(InputSource.PYRAMID, InputSource.RESIZER);
            case GRAY: return EnumSet.allOf(InputSource.class);
            default: return EnumSet.of(InputSource.DDR);
        }
    }

    /**
     * input_source per input name, defaults filled in (nv12: pyramid, others: ddr). For the
     * unnamed single input (input_name empty) one entry is accepted whatever its key, and stored
     * under "".
     */
    private static Map<String, InputSource> inputSources(Group g, InputParameters inputs) {
        Map<String, InputSource> given = new LinkedHashMap<>();
        Object raw = g.raw("input_source");
        List<InputSpec> specs = inputs.inputs();
        boolean unnamed = specs.size() == 1 && specs.get(0).name().isEmpty();
        List<String> names = new ArrayList<>();
        for (InputSpec s : specs) {
            names.add(s.name());
        }
        if (raw instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) raw;
            if (unnamed && m.size() > 1) {
                g.error("'input_source': " + m.size() + " entries for the model's single input");
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String name = (String) e.getKey();
                String where = "'input_source' of input '" + name + "'";
                if (!unnamed && !names.contains(name)) {
                    g.error(where + ": no such input in input_name (" + Suggest.quoted(names) + ")"
                            + Suggest.hint(name, names));
                    continue;
                }
                if (!(e.getValue() instanceof Scalar)) {
                    g.error(where + ": expected ddr, pyramid or resizer, found " + YamlTree.kind(e.getValue()));
                    continue;
                }
                InputSource src = g.match(where, ((Scalar) e.getValue()).text().trim(), SOURCES);
                if (src != null) {
                    given.put(unnamed ? "" : name, src);
                }
            }
        } else if (raw != null) {
            g.error("'input_source': expected a mapping {input_name: ddr|pyramid|resizer}, found " + YamlTree.kind(raw));
        }
        Map<String, InputSource> out = new LinkedHashMap<>();
        for (InputSpec s : specs) {
            InputSource src = given.get(s.name());
            if (src == null) {
                src = s.typeRt() == InputType.NV12 ? InputSource.PYRAMID : InputSource.DDR;
            } else if (s.typeRt() != null && !allowedSources(s.typeRt()).contains(src)) {
                g.error("'input_source'" + (s.name().isEmpty() ? "" : " of input '" + s.name() + "'") + ": "
                        + Group.lower(src) + " cannot deliver input_type_rt " + s.typeRt().key());
            }
            out.put(s.name(), src);
        }
        return out;
    }
}
