package dev.wasmorch.pipeline.report;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The values of one group for drawing: count, sum, min and max exactly, plus a uniform random
 * sample of at most {@code capacity} values (Vitter's algorithm R) from which the box plots and
 * CDFs are drawn. A 4096-value sample puts quantiles within about ±1.5 percentile points, far
 * below what a chart shows, whatever the group's size.
 */
final class Reservoir {

    private final int capacity;
    private final SplittableRandom rng;
    /** Grows to {@code capacity} as values come, so the many small groups stay small. */
    private double[] values = new double[16];

    private long count;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private boolean sorted;

    Reservoir(int capacity, long seed) {
        this.capacity = capacity;
        this.rng = new SplittableRandom(seed);
    }

    void add(double v) {
        count++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        if (count <= capacity) {
            if (count > values.length) {
                values = Arrays.copyOf(values, Math.min(capacity, values.length * 2));
            }
            values[(int) count - 1] = v;
        } else {
            long slot = rng.nextLong(count);
            if (slot < capacity) {
                values[(int) slot] = v;
            }
        }
        sorted = false;
    }

    long count() {
        return count;
    }

    double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** True when every value is kept (so quantiles are exact). */
    boolean exact() {
        return count <= capacity;
    }

    /** Quantile by linear interpolation between order statistics (Hyndman and Fan type 7). */
    double quantile(double p) {
        int n = (int) Math.min(count, capacity);
        if (n == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(values, 0, n);
            sorted = true;
        }
        double h = (n - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(n - 1, lo + 1);
        return values[lo] + (h - lo) * (values[hi] - values[lo]);
    }

    /** Tukey's whiskers: the most extreme kept values within 1.5 IQR of the quartiles. */
    double[] whiskers() {
        double q1 = quantile(0.25);
        double q3 = quantile(0.75);
        double lowFence = q1 - 1.5 * (q3 - q1);
        double highFence = q3 + 1.5 * (q3 - q1);
        int n = (int) Math.min(count, capacity);
        double low = q1;
        double high = q3;
        for (int i = 0; i < n; i++) {
            double v = values[i];
            if (v >= lowFence && v < low) {
                low = v;
            }
            if (v <= highFence && v > high) {
                high = v;
            }
        }
        return new double[] {low, high};
    }
}
