package dev.wasmorch.pipeline.stats;

import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.SummaryStats;
import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.Variance;

/**
 * Descriptive statistics of one group (docs/statistics.md, "Descriptive statistics").
 *
 * <p>Percentiles use linear interpolation between order statistics (Hyndman and Fan type 7), the
 * default of {@code numpy.percentile} and R's {@code quantile}, so published numbers can be checked
 * with either. commons-math3's {@code Percentile} defaults to a different estimator, hence the
 * small implementation here.
 */
public final class Descriptive {

    private Descriptive() {}

    /**
     * Summarizes one group of values.
     *
     * @throws IllegalArgumentException when {@code values} is empty (an empty group has no
     *     statistics and is not emitted) or holds NaN or an infinity (naming its index)
     */
    public static SummaryStats summarize(
            String scenario, String function, Runtime runtime, String metric, double[] values) {
        requireFinite(values, scenario + "/" + function + "/" + runtime.label() + "/" + metric);
        int n = values.length;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double mean = new Mean().evaluate(values);
        double sd = n < 2 ? Double.NaN : Math.sqrt(new Variance(true).evaluate(values, mean));
        double populationSd = Math.sqrt(new Variance(false).evaluate(values, mean));
        double halfWidth = ci95HalfWidth(n, sd);
        return new SummaryStats(
                scenario,
                function,
                runtime,
                metric,
                n,
                mean,
                percentile(sorted, 50),
                percentile(sorted, 90),
                percentile(sorted, 95),
                percentile(sorted, 99),
                sorted[0],
                sorted[n - 1],
                sd,
                populationSd / mean,
                mean - halfWidth,
                mean + halfWidth);
    }

    /**
     * The p-th percentile (0 &lt;= p &lt;= 100) of ascending {@code sorted}, type 7: with
     * h = (n - 1) p / 100, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]) (0-based).
     */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0 || !(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " of " + sorted.length + " values");
        }
        double h = (sorted.length - 1) * p / 100.0;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /** Student-t half width t(0.975, n-1) s / sqrt(n); NaN for n &lt; 2 (no spread is known). */
    private static double ci95HalfWidth(int n, double sd) {
        if (n < 2) {
            return Double.NaN;
        }
        double t = new TDistribution(null, n - 1.0).inverseCumulativeProbability(0.975);
        return t * sd / Math.sqrt(n);
    }

    /** Rejects empty groups and non-finite values, naming the group and the index. */
    static void requireFinite(double[] values, String group) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values for " + group);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        "value " + i + " of " + group + " is " + values[i] + " (only finite values are summarized)");
            }
        }
    }
}
