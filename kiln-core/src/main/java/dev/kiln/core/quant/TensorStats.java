package dev.kiln.core.quant;

import dev.kiln.core.KilnException;
import dev.kiln.runtime.tensor.Tensor;

import java.util.Arrays;

/**
 * Running statistics of one float activation tensor over the calibration samples, in memory
 * independent of the sample count: min and max, a histogram of |x| ({@link AbsHistogram}) and,
 * when asked for, the largest |x| of each channel (axis 1). Every field merges exactly, in any order.
 */
public final class TensorStats {
    private final String name;
    private final boolean perChannel;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private long nonFinite;
    private boolean seen;
    private final AbsHistogram histogram = new AbsHistogram();
    private float[] channelAbsMax;

    public TensorStats(String name, boolean perChannel) {
        this.name = name;
        this.perChannel = perChannel;
    }

    public String name() {
        return name;
    }

    /** Adds every element of a floating-point tensor (non-finite elements are counted apart and skipped). */
    public void add(Tensor t) {
        seen = true;
        int n = t.size();
        float[] data;
        if (t.data() instanceof float[]) {
            data = (float[]) t.data();
        } else {
            data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = (float) t.getDouble(i);
            }
        }
        float[] range = range(data, n);
        float lo = range[0];
        float hi = range[1];
        if (lo == Float.NEGATIVE_INFINITY || hi == Float.POSITIVE_INFINITY) {
            lo = Float.POSITIVE_INFINITY;
            hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float v = data[i];
                if (Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        long counted = 0;
        if (lo <= hi) {
            min = Math.min(min, lo);
            max = Math.max(max, hi);
            counted = histogram.add(data, n, Math.max(Math.abs((double) lo), Math.abs((double) hi)));
        }
        nonFinite += n - counted;
        if (perChannel && t.rank() >= 2) {
            addChannels(data, t.shape());
        }
    }

    /** {min, max} of data[0..n), NaN ignored; four independent chains so the loop is not latency-bound. */
    static float[] range(float[] data, int n) {
        float lo0 = Float.POSITIVE_INFINITY;
        float lo1 = lo0;
        float lo2 = lo0;
        float lo3 = lo0;
        float hi0 = Float.NEGATIVE_INFINITY;
        float hi1 = hi0;
        float hi2 = hi0;
        float hi3 = hi0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            float a = data[i];
            float b = data[i + 1];
            float c = data[i + 2];
            float d = data[i + 3];
            lo0 = a < lo0 ? a : lo0;
            hi0 = a > hi0 ? a : hi0;
            lo1 = b < lo1 ? b : lo1;
            hi1 = b > hi1 ? b : hi1;
            lo2 = c < lo2 ? c : lo2;
            hi2 = c > hi2 ? c : hi2;
            lo3 = d < lo3 ? d : lo3;
            hi3 = d > hi3 ? d : hi3;
        }
        for (; i < n; i++) {
            float a = data[i];
            lo0 = a < lo0 ? a : lo0;
            hi0 = a > hi0 ? a : hi0;
        }
        float lo = Math.min(Math.min(lo0, lo1), Math.min(lo2, lo3));
        float hi = Math.max(Math.max(hi0, hi1), Math.max(hi2, hi3));
        return new float[] {lo, hi};
    }

    private void addChannels(float[] data, int[] shape) {
        int c = shape[1];
        if (channelAbsMax == null) {
            channelAbsMax = new float[c];
        } else if (channelAbsMax.length != c) {
            throw new KilnException("tensor '" + name + "' had " + channelAbsMax.length + " channels and now has " + c);
        }
        int inner = 1;
        for (int i = 2; i < shape.length; i++) {
            inner *= shape[i];
        }
        int at = 0;
        for (int b = 0; b < shape[0]; b++) {
            for (int ch = 0; ch < c; ch++) {
                float m = channelAbsMax[ch];
                for (int i = 0; i < inner; i++, at++) {
                    float a = Math.abs(data[at]);
                    if (a > m && a != Float.POSITIVE_INFINITY) {
                        m = a;
                    }
                }
                channelAbsMax[ch] = m;
            }
        }
    }

    /** Merges another tensor's statistics into these (exact and order-independent). */
    public void merge(TensorStats o) {
        seen |= o.seen;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
        nonFinite += o.nonFinite;
        histogram.merge(o.histogram);
        if (o.channelAbsMax != null) {
            if (channelAbsMax == null) {
                channelAbsMax = o.channelAbsMax.clone();
            } else if (channelAbsMax.length != o.channelAbsMax.length) {
                throw new KilnException("tensor '" + name + "' has " + channelAbsMax.length + " channels in one run and "
                        + o.channelAbsMax.length + " in another");
            } else {
                for (int i = 0; i < channelAbsMax.length; i++) {
                    channelAbsMax[i] = Math.max(channelAbsMax[i], o.channelAbsMax[i]);
                }
            }
        }
    }

    /** Whether any tensor was added (values of integer type at run time never are). */
    public boolean seen() {
        return seen;
    }

    /** Finite elements counted. */
    public long count() {
        return histogram.total();
    }

    /** Non-finite elements seen (and left out of every statistic). */
    public long nonFinite() {
        return nonFinite;
    }

    /** The smallest finite value (0 when none was seen). */
    public float min() {
        return count() == 0 ? 0f : min;
    }

    /** The largest finite value (0 when none was seen). */
    public float max() {
        return count() == 0 ? 0f : max;
    }

    /** max(|min|, |max|). */
    public float absMax() {
        return Math.max(Math.abs(min()), Math.abs(max()));
    }

    public AbsHistogram histogram() {
        return histogram;
    }

    /** Largest |x| of each channel (axis 1), or null when not collected. */
    public float[] channelAbsMax() {
        return channelAbsMax == null ? null : channelAbsMax.clone();
    }

    /** Bytes of the arrays and fields held, a deterministic measure of retained memory. */
    public long retainedBytes() {
        long b = 48 + histogram.retainedBytes() + 40 + 2L * name.length();
        if (channelAbsMax != null) {
            b += 16 + 4L * channelAbsMax.length;
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorStats)) {
            return false;
        }
        TensorStats s = (TensorStats) o;
        return name.equals(s.name) && Float.compare(min(), s.min()) == 0 && Float.compare(max(), s.max()) == 0
                && nonFinite == s.nonFinite && histogram.equals(s.histogram)
                && Arrays.equals(channelAbsMax, s.channelAbsMax);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + histogram.hashCode();
    }
}
