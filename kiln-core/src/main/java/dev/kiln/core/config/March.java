package dev.kiln.core.config;

import java.util.Locale;

/** Target architectures: Horizon's chip families and Kiln's own generic integer engine. */
public enum March {
    BERNOULLI2("bernoulli2"), BAYES("bayes"), BAYES_E("bayes-e"), NASH_E("nash-e"), NASH_M("nash-m"), GENERIC("generic");

    private final String key;

    March(String key) {
        this.key = key;
    }

    /** The spelling used in configurations and on the command line. */
    public String key() {
        return key;
    }

    /** The march for a configuration value, or null. */
    public static March parse(String s) {
        for (March m : values()) {
            if (m.key.equals(s.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        return null;
    }
}
