package dev.kiln.core.config;

import java.util.Collection;
import java.util.Locale;

/** "did you mean" hints: the closest allowed spelling by edit distance. */
final class Suggest {
    private Suggest() {
    }

    /**
     * The option closest to {@code given} (case-insensitive optimal string alignment distance, a
     * swap of neighbours counting as one edit), or null when none is close: at most a third of the
     * length of the given word, at least one and at most four edits. No hint when two options are
     * equally close (for 'O4', 'O0' and 'O3' are: either guess would mislead).
     */
    static String closest(String given, Collection<String> options) {
        String g = given.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(4, g.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean tie = false;
        for (String option : options) {
            int d = distance(g, option.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = option;
                tie = false;
            } else if (d == bestDistance) {
                tie = true;
            }
        }
        return bestDistance <= limit && !tie ? best : null;
    }

    /** " (did you mean 'x'?)" or "". */
    static String hint(String given, Collection<String> options) {
        String s = closest(given, options);
        return s == null ? "" : " (did you mean '" + s + "'?)";
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }

    /** 'a', 'b', 'c' */
    static String quoted(Collection<String> options) {
        StringBuilder sb = new StringBuilder();
        for (String o : options) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(o).append('\'');
        }
        return sb.toString();
    }
}
