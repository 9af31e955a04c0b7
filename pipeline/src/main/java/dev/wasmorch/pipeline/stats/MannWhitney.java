package dev.wasmorch.pipeline.stats;

import java.util.Arrays;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * Two-sided Mann-Whitney U test, the same as SciPy's default
 * {@code scipy.stats.mannwhitneyu(x, y, alternative='two-sided')} (method {@code 'auto'},
 * continuity correction on). Definitions and the choice of method are in docs/statistics.md.
 *
 * <p>commons-math3's {@code MannWhitneyUTest} applies neither the tie nor the continuity correction
 * and has no exact distribution, so its p-values differ from SciPy's; it is not used.
 */
public final class MannWhitney {

    /**
     * SciPy uses the exact null distribution when the smaller sample has at most this many values
     * and there are no ties.
     */
    static final int EXACT_MAX_SMALLER = 8;

    /** Below this |z| the p-value is far from underflow and its log is taken directly. */
    private static final double DIRECT_LOG_BELOW = 20;

    private static final double LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private MannWhitney() {}

    /**
     * The outcome of one test.
     *
     * @param u1         U of the first sample, R1 - n1(n1+1)/2 (R1 its rank sum, ties averaged)
     * @param z          signed normal deviate, tie- and continuity-corrected: positive when the first
     *                   sample ranks higher; NaN when the exact distribution was used or all values
     *                   are equal (zero variance)
     * @param pValue     two-sided p-value (may underflow to 0 for huge separations)
     * @param log10P     log10 of the p-value, finite even where the p-value underflows
     * @param exact      true when the exact null distribution was used
     * @param effectSize rank-biserial correlation 2 U1 / (n1 n2) - 1: +1 when every value of the
     *                   first sample is larger than every value of the second, -1 when smaller
     */
    public record Result(double u1, double z, double pValue, double log10P, boolean exact, double effectSize) {}

    /**
     * Tests x against y.
     *
     * @throws IllegalArgumentException when a sample is empty or holds NaN or an infinity
     */
    public static Result test(double[] x, double[] y) {
        Descriptive.requireFinite(x, "the first sample");
        Descriptive.requireFinite(y, "the second sample");
        Ranks ranks = Ranks.of(x, y);
        long n1 = x.length;
        long n2 = y.length;
        double u1 = ranks.rankSumX() - n1 * (n1 + 1) / 2.0;
        double effectSize = 2 * u1 / ((double) n1 * n2) - 1;
        if (Math.min(n1, n2) <= EXACT_MAX_SMALLER && !ranks.hasTies()) {
            double p = exactPValue((int) Math.min(n1, n2), (int) Math.max(n1, n2), u1);
            return new Result(u1, Double.NaN, p, Math.log10(p), true, effectSize);
        }
        double n = n1 + n2;
        double variance = n1 * n2 / 12.0 * ((n + 1) - ranks.tieTerm() / (n * (n - 1)));
        if (!(variance > 0)) {
            // All values equal: the ranks carry no information, SciPy reports p = 1.
            return new Result(u1, Double.NaN, 1.0, 0.0, false, effectSize);
        }
        double deviation = u1 - n1 * n2 / 2.0;
        // Continuity correction: move |U - mu| half a step towards the mean (never past it).
        double zAbs = Math.max(Math.abs(deviation) - 0.5, 0) / Math.sqrt(variance);
        double p = Math.min(1.0, Erf.erfc(zAbs / Math.sqrt(2)));
        return new Result(u1, Math.copySign(zAbs, deviation), p, log10TwoSidedNormal(zAbs, p), false, effectSize);
    }

    /**
     * log10 of 2 Phi(-x). Below {@link #DIRECT_LOG_BELOW} the p-value itself is accurate; above,
     * ln Phi(-x) = -x^2/2 - ln sqrt(2 pi) + ln R(x) with Mills' ratio R(x) from its continued
     * fraction 1/(x+ 1/(x+ 2/(x+ 3/(x+ ...)))), which converges fast for large x and never
     * underflows.
     */
    static double log10TwoSidedNormal(double x, double p) {
        if (x < DIRECT_LOG_BELOW) {
            return Math.log10(p);
        }
        double f = x;
        for (int k = 60; k >= 1; k--) {
            f = x + k / f;
        }
        double lnP = Math.log(2) - x * x / 2 - LN_SQRT_2PI - Math.log(f);
        return lnP / Math.log(10);
    }

    /**
     * Exact two-sided p-value for samples of sizes m &lt;= n without ties: 2 P(U &lt;= min(U1, mn - U1)),
     * capped at 1 (the null distribution is symmetric about mn/2).
     */
    static double exactPValue(int m, int n, double u1) {
        int k = (int) Math.min(u1, (long) m * n - u1);
        double[] counts = countsUpTo(m, n, k);
        double lowerTail = 0;
        for (double c : counts) {
            lowerTail += c;
        }
        return Math.min(1.0, 2 * lowerTail / CombinatoricsUtils.binomialCoefficientDouble(m + n, m));
    }

    /**
     * How many of the C(m+n, m) arrangements give U = 0..k: the coefficients of the Gaussian
     * binomial [m+n over m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), built one factor at a time
     * and truncated at degree k (every step only looks back, so truncation is exact). The counts
     * near the tails are small integers, exact in doubles.
     */
    static double[] countsUpTo(int m, int n, int k) {
        double[] c = new double[k + 1];
        c[0] = 1;
        for (int i = 1; i <= m; i++) {
            for (int d = k; d >= n + i; d--) {
                c[d] -= c[d - n - i];
            }
            for (int d = i; d <= k; d++) {
                c[d] += c[d - i];
            }
        }
        return c;
    }

    /** Average ranks of the pooled samples, reduced to what the test needs. */
    private record Ranks(double rankSumX, double tieTerm, boolean hasTies) {

        /** Merges the sorted samples; each run of t equal values gets the mean of its ranks. */
        static Ranks of(double[] x, double[] y) {
            double[] xs = x.clone();
            double[] ys = y.clone();
            Arrays.sort(xs);
            Arrays.sort(ys);
            int i = 0;
            int j = 0;
            long rank = 0; // ranks handed out so far
            double rankSumX = 0;
            double tieTerm = 0;
            while (i < xs.length || j < ys.length) {
                double v = j >= ys.length || (i < xs.length && xs[i] <= ys[j]) ? xs[i] : ys[j];
                int fromX = 0;
                while (i < xs.length && xs[i] == v) {
                    i++;
                    fromX++;
                }
                int fromY = 0;
                while (j < ys.length && ys[j] == v) {
                    j++;
                    fromY++;
                }
                long t = fromX + fromY;
                double averageRank = rank + (t + 1) / 2.0;
                rankSumX += fromX * averageRank;
                tieTerm += (double) t * t * t - t;
                rank += t;
            }
            return new Ranks(rankSumX, tieTerm, tieTerm > 0);
        }
    }
}
