package dev.kiln.core.quant;

import dev.kiln.core.config.March;
import dev.kiln.core.ir.Node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a target chip's integer engine ("BPU") accepts (SPEC section 5): the operator types it runs
 * and, per operator, parameter limits, each with a reason naming the value found and the limit
 * ("Conv kernel 9x9 exceeds 7x7 on bernoulli2"). A node that Kiln could run as integer but that
 * the profile rejects is placed on the CPU with that reason. The tables are data
 * ({@link MarchTables}), so the checker and the documentation print the same lists the placement
 * uses.
 *
 * <p>run_on_bpu / node_info ON: BPU: on Horizon's toolchain these cannot force an operator the chip
 * does not support. Kiln's own engine, however, runs every operator that has an integer kernel
 * regardless of the chip's limits, so a request to run a node on BPU wins over a march limit: the
 * node goes to the integer engine and the plan warns that the real chip would run it on the CPU.
 * Operators without an integer kernel in Kiln stay on the CPU whatever is requested.
 *
 * <p>{@code generic} is Kiln's own engine: no limits beyond operator support.
 */
public final class MarchProfile {
    private static final Map<March, MarchProfile> PROFILES = new EnumMap<>(March.class);

    private final March march;
    private final String source;
    private final Set<String> integerOps;
    private final List<MarchLimit> limits;

    MarchProfile(March march, String source, Set<String> integerOps, List<MarchLimit> limits) {
        this.march = march;
        this.source = source;
        this.integerOps = integerOps == null ? null : Collections.unmodifiableSet(new TreeSet<>(integerOps));
        this.limits = List.copyOf(limits);
    }

    /** The profile of a march. */
    public static synchronized MarchProfile of(March m) {
        return PROFILES.computeIfAbsent(m == null ? March.GENERIC : m, MarchTables::build);
    }

    /** Kiln's own engine: every operator with an integer kernel, no limits. */
    public static MarchProfile generic() {
        return of(March.GENERIC);
    }

    public March march() {
        return march;
    }

    /** Where the table comes from (a published list, or Kiln's reading). */
    public String source() {
        return source;
    }

    /** Operator types the chip runs as integer, or null when every type with an integer kernel is allowed. */
    public Set<String> integerOps() {
        return integerOps;
    }

    public List<MarchLimit> limits() {
        return limits;
    }

    /** Why the chip would run n on the CPU, or null when the profile accepts it. */
    public String cpuReason(Node n) {
        if (integerOps != null && !integerOps.contains(n.opType())) {
            return n.opType() + " runs on CPU on " + march.key();
        }
        for (MarchLimit l : limits) {
            if (l.opType().equals(n.opType())) {
                String v = l.violation(n);
                if (v != null) {
                    return v + " on " + march.key();
                }
            }
        }
        return null;
    }

    /** The profile as printed lines: source, operator list and one line per limit. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add("march " + march.key() + ": " + source);
        out.add("  integer operators: " + (integerOps == null ? "every operator with an integer kernel in Kiln"
                : String.join(", ", integerOps)));
        if (limits.isEmpty()) {
            out.add("  limits: none");
        }
        for (MarchLimit l : limits) {
            out.add(String.format(Locale.ROOT, "  %-18s %s", l.opType(), l.rule()));
        }
        return out;
    }
}
