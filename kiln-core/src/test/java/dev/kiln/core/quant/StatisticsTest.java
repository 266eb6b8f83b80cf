package dev.kiln.core.quant;

import dev.kiln.runtime.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StatisticsTest {
    private static void add(AbsHistogram h, float... v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        h.add(v, v.length, m);
    }

    @Test
    void binsAreExactAndTheRangeIsAPowerOfTwo() {
        AbsHistogram h = new AbsHistogram();
        add(h, 0f, 0.5f, -1f, 1.5f, 3f);
        assertEquals(4.0, h.range());
        assertEquals(1.0 / 512, h.binWidth());
        assertEquals(1, h.count(0));
        assertEquals(1, h.count(256));
        assertEquals(1, h.count(512));
        assertEquals(1, h.count(768));
        assertEquals(1, h.count(1536));
        assertEquals(5, h.total());
        // a power of two itself lands in the middle bin of the next range
        AbsHistogram p = new AbsHistogram();
        add(p, 2f);
        assertEquals(4.0, p.range());
        assertEquals(1, p.count(1024));
    }

    @Test
    void rebinningByDoublingEqualsBinningAtTheFinalRange() {
        AbsHistogram grown = new AbsHistogram();
        add(grown, 0f, 0.5f, 1f, 1.5f, 3f);
        add(grown, -5f);
        assertEquals(8.0, grown.range());
        long[] c = grown.counts();
        assertEquals(1, c[0]);
        assertEquals(1, c[128]);
        assertEquals(1, c[256]);
        assertEquals(1, c[384]);
        assertEquals(1, c[768]);
        assertEquals(1, c[1280]);
        AbsHistogram direct = new AbsHistogram();
        add(direct, 0f, 0.5f, 1f, 1.5f, 3f, -5f);
        assertEquals(direct, grown);
        // a jump of more than 2^11 sends everything earlier into bin 0
        add(grown, 1e6f);
        assertEquals(6, grown.count(0));
    }

    @Test
    void zerosBeforeAnyNonZeroValueStayInBinZero() {
        AbsHistogram h = new AbsHistogram();
        add(h, 0f, 0f, -0f);
        assertEquals(0.0, h.range());
        assertEquals(3, h.total());
        add(h, 1f);
        assertEquals(3, h.count(0));
        assertEquals(1, h.count(1024));
    }

    @Test
    void histogramsDoNotDependOnOrderOrSplitAndMergeExactly() {
        Random r = new Random(7);
        List<float[]> chunks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            float[] c = new float[50];
            for (int k = 0; k < c.length; k++) {
                c[k] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian() * 3));
            }
            chunks.add(c);
        }
        AbsHistogram forward = new AbsHistogram();
        for (float[] c : chunks) {
            add(forward, c);
        }
        List<float[]> shuffled = new ArrayList<>(chunks);
        Collections.shuffle(shuffled, new Random(3));
        AbsHistogram[] parts = {new AbsHistogram(), new AbsHistogram(), new AbsHistogram()};
        for (int i = 0; i < shuffled.size(); i++) {
            add(parts[i % 3], shuffled.get(i));
        }
        AbsHistogram merged = new AbsHistogram();
        merged.merge(parts[2]);
        merged.merge(parts[0]);
        merged.merge(parts[1]);
        assertEquals(forward, merged);
        AbsHistogram other = new AbsHistogram();
        other.merge(parts[1]);
        other.merge(parts[2]);
        other.merge(parts[0]);
        assertEquals(forward, other);
    }

    @Test
    void quantileInterpolatesInsideTheBin() {
        AbsHistogram h = new AbsHistogram();
        float[] v = new float[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / 100_000f;
        }
        add(h, v);
        assertEquals(0.5, h.quantile(0.5), 1e-4);
        assertEquals(0.99995, h.quantile(0.99995), 1e-4);
        assertEquals(0.0, new AbsHistogram().quantile(0.5));
    }

    @Test
    void tensorStatsKeepMinMaxAndSkipNonFiniteValues() {
        TensorStats s = new TensorStats("t", false);
        s.add(Tensor.of(new float[] {1f, -2.5f, Float.NaN, 0.25f, Float.POSITIVE_INFINITY}, 5));
        assertEquals(-2.5f, s.min());
        assertEquals(1f, s.max());
        assertEquals(2.5f, s.absMax());
        assertEquals(3, s.count());
        assertEquals(2, s.nonFinite());
        assertNull(s.channelAbsMax());
        TensorStats empty = new TensorStats("e", false);
        assertEquals(0f, empty.absMax());
    }

    @Test
    void perChannelMaximaAlongAxisOne() {
        TensorStats s = new TensorStats("t", true);
        // shape [2, 3, 2]: batch 2, channels 3
        s.add(Tensor.of(new float[] {1, -2, 3, 0, 0, 0.5f, -4, 1, 0, 0, 7, 0}, 2, 3, 2));
        assertArrayEquals(new float[] {4, 3, 7}, s.channelAbsMax());
        TensorStats o = new TensorStats("t", true);
        o.add(Tensor.of(new float[] {9, 0, 0, 0, 0, 0}, 1, 3, 2));
        s.merge(o);
        assertArrayEquals(new float[] {9, 3, 7}, s.channelAbsMax());
        assertEquals(9f, s.max());
    }

    @Test
    void doubleTensorsAreMeasuredToo() {
        TensorStats s = new TensorStats("d", false);
        s.add(Tensor.ofDoubles(new double[] {-3, 2}, 2));
        assertEquals(-3f, s.min());
        assertEquals(2, s.count());
    }
}
