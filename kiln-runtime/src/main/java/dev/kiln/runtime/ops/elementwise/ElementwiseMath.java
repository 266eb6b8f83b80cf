package dev.kiln.runtime.ops.elementwise;

/** Scalar functions the JDK lacks, shared by the elementwise operators (double precision). */
public final class ElementwiseMath {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    private static final double LN2 = 0.6931471805599453;

    private ElementwiseMath() {
    }

    /**
     * The error function, to about 1e-15 relative. Below |x| = 2.5 the everywhere-positive series
     * erf(x) = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1)); above, 1 - erfc(x) with
     * erfc from its continued fraction, evaluated backwards from a fixed depth.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax >= 6) {
            return Math.copySign(1.0, x);
        }
        double r;
        if (ax < 2.5) {
            double x2 = ax * ax;
            double term = ax;
            double sum = ax;
            for (int n = 1; term > sum * 1e-17; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        } else {
            // erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...))))
            double f = ax;
            for (int n = 30; n >= 1; n--) {
                f = ax + 0.5 * n / f;
            }
            r = 1 - Math.exp(-ax * ax) * ONE_OVER_SQRT_PI / f;
        }
        return Math.copySign(r, x);
    }

    /**
     * Hyperbolic tangent to about 5e-15 relative, several times faster than {@link Math#tanh}: a
     * Taylor polynomial near 0, else 1 - 2 / (exp(2|x|) + 1) with the sign of x.
     */
    public static double tanh(double x) {
        double a = Math.abs(x);
        if (a < 0.05) {
            double x2 = x * x;
            return x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315 + x2 * (62.0 / 2835
                    + x2 * (-1382.0 / 155925 + x2 * (21844.0 / 6081075)))))));
        }
        return Math.copySign(1 - 2 / (Math.exp(2 * a) + 1), x);
    }

    /** log(1 + exp(x)) without overflow for large x or loss of precision for very negative x. */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    public static double asinh(double x) {
        double a = Math.abs(x);
        double r;
        if (a > 1e150) {
            r = Math.log(a) + LN2;
        } else {
            double a2 = a * a;
            r = Math.log1p(a + a2 / (1 + Math.sqrt(1 + a2)));
        }
        return Math.copySign(r, x);
    }

    public static double acosh(double x) {
        if (x > 1e150) {
            return Math.log(x) + LN2;
        }
        double t = x - 1;
        return Math.log1p(t + Math.sqrt(t * (x + 1)));
    }

    public static double atanh(double x) {
        return 0.5 * Math.log1p(2 * x / (1 - x));
    }
}
