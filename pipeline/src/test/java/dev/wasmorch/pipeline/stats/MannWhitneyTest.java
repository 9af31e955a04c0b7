package dev.wasmorch.pipeline.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Expected values are derived by hand (enumeration for exact p-values, the tie-corrected formula
 * for z); each matches {@code scipy.stats.mannwhitneyu(x, y, alternative='two-sided')} of SciPy
 * 1.17.
 */
class MannWhitneyTest {

    @Test
    void exactCompleteSeparation() {
        // n1 = n2 = 3, no ties -> exact. U1 = 0; only 1 of C(6,3) = 20 arrangements has U <= 0.
        // p = 2 * 1/20 = 0.1
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertThat(r.exact()).isTrue();
        assertThat(r.u1()).isEqualTo(0);
        assertThat(r.z()).isNaN();
        assertThat(r.pValue()).isCloseTo(0.1, within(1e-12));
        assertThat(r.log10P()).isCloseTo(-1, within(1e-12));
        assertThat(r.effectSize()).isEqualTo(-1);
    }

    @Test
    void exactByEnumeration() {
        // x ranks 1,3,5: R1 = 9, U1 = 9 - 6 = 3, mn = 12. Arrangements with U <= 3 are partitions
        // of u into <= 3 parts of size <= 4: u=0:1, 1:1, 2:2, 3:3 -> 7 of C(7,3) = 35.
        // p = 2 * 7/35 = 0.4
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 3, 5}, new double[] {2, 4, 6, 7});
        assertThat(r.exact()).isTrue();
        assertThat(r.u1()).isEqualTo(3);
        assertThat(r.pValue()).isCloseTo(0.4, within(1e-12));
        // 2 * 3 / 12 - 1
        assertThat(r.effectSize()).isCloseTo(-0.5, within(1e-12));
        // Swapping the samples mirrors U and the effect size, the p-value stays.
        MannWhitney.Result swapped = MannWhitney.test(new double[] {2, 4, 6, 7}, new double[] {1, 3, 5});
        assertThat(swapped.u1()).isEqualTo(9);
        assertThat(swapped.pValue()).isCloseTo(0.4, within(1e-12));
        assertThat(swapped.effectSize()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void exactWhenOnlyTheSmallerSampleIsSmall() {
        // SciPy's rule: exact unless both samples exceed 8 (or there are ties). n1 = 3, n2 = 10:
        // U1 = 0, p = 2 / C(13,3) = 2/286 = 0.006993...
        double[] y = IntStream.rangeClosed(4, 13).asDoubleStream().toArray();
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 2, 3}, y);
        assertThat(r.exact()).isTrue();
        assertThat(r.pValue()).isCloseTo(2.0 / 286, within(1e-15));
    }

    @Test
    void singleValueSample() {
        // x = {10} above all of y: U1 = 3 = mn; P(U >= 3) = 1 of C(4,1) = 4 -> p = 0.5
        MannWhitney.Result r = MannWhitney.test(new double[] {10}, new double[] {1, 2, 3});
        assertThat(r.exact()).isTrue();
        assertThat(r.u1()).isEqualTo(3);
        assertThat(r.pValue()).isCloseTo(0.5, within(1e-12));
        assertThat(r.effectSize()).isEqualTo(1);
        // n1 = n2 = 1: U1 = 0, 2 * P(U <= 0) = 2 * 1/2 = 1
        assertThat(MannWhitney.test(new double[] {1}, new double[] {2}).pValue())
                .isEqualTo(1.0);
    }

    @Test
    void tiesUseTheCorrectedNormalApproximation() {
        // pooled: 1x 2x 2x 2y 3x 3y 4y 5y; ranks 1, 3 3 3, 5.5 5.5, 7, 8
        // R1 = 1 + 3 + 3 + 5.5 = 12.5, U1 = 12.5 - 10 = 2.5, mu = 8
        // tie term = (3^3 - 3) + (2^3 - 2) = 30, n = 8
        // sigma = sqrt(16/12 * (9 - 30/56)) = sqrt(11.2857142857) = 3.3594217
        // z = -(|2.5 - 8| - 0.5) / sigma = -1.4883505; p = 2 Phi(-1.4883505) = 0.13665825
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 2, 2, 3}, new double[] {2, 3, 4, 5});
        assertThat(r.exact()).isFalse();
        assertThat(r.u1()).isEqualTo(2.5);
        double sigma = Math.sqrt(16.0 / 12 * (9 - 30.0 / 56));
        assertThat(r.z()).isCloseTo(-5 / sigma, within(1e-12));
        assertThat(r.pValue()).isCloseTo(0.1366582477381475, within(1e-12));
    }

    @Test
    void largeSamplesWithoutTiesUseTheNormalApproximation() {
        // n1 = n2 = 10 (both > 8): U1 = 0, mu = 50, sigma = sqrt(100/12 * 21) = sqrt(175)
        // z = -(50 - 0.5)/sqrt(175) = -3.7418300; p = 2 Phi(-3.74183) = 1.8267179e-4
        double[] x = IntStream.rangeClosed(1, 10).asDoubleStream().toArray();
        double[] y = IntStream.rangeClosed(1, 10).mapToDouble(i -> i + 9.5).toArray();
        MannWhitney.Result r = MannWhitney.test(x, y);
        assertThat(r.exact()).isFalse();
        assertThat(r.z()).isCloseTo(-49.5 / Math.sqrt(175), within(1e-12));
        assertThat(r.pValue()).isCloseTo(1.8267179110955002e-4, within(1e-15));
    }

    @Test
    void allEqualValuesGivePOne() {
        // every rank is 3: R1 = 9, U1 = 3 = mu; zero variance -> p = 1 as in SciPy
        MannWhitney.Result r = MannWhitney.test(new double[] {2, 2, 2}, new double[] {2, 2});
        assertThat(r.u1()).isEqualTo(3);
        assertThat(r.pValue()).isEqualTo(1.0);
        assertThat(r.log10P()).isEqualTo(0.0);
        assertThat(r.z()).isNaN();
        assertThat(r.effectSize()).isEqualTo(0.0);
        assertThat(MannWhitney.test(new double[] {5}, new double[] {5}).pValue())
                .isEqualTo(1.0);
    }

    @Test
    void hugeSeparationKeepsAFiniteLog10P() {
        // n1 = n2 = 2000, every x below every y: U1 = 0, mu = 2e6,
        // sigma = sqrt(4e6/12 * 4001), z = -(2e6 - 0.5)/sigma = -54.7653968.
        // p = 2 Phi(-54.77) ~ 10^-653 underflows a double; log10 p = -653.1152883 (30-digit erfc).
        double[] x = IntStream.range(0, 2000).asDoubleStream().toArray();
        double[] y = IntStream.range(0, 2000).mapToDouble(i -> i + 5000).toArray();
        MannWhitney.Result r = MannWhitney.test(x, y);
        assertThat(r.z()).isCloseTo(-54.7653968106525, within(1e-9));
        assertThat(r.pValue()).isEqualTo(0.0);
        assertThat(r.log10P()).isCloseTo(-653.115288347551, within(1e-9));
    }

    @Test
    void logTailMatchesTheDirectLogWhereBothWork() {
        // log10 erfc(20/sqrt 2) = -88.25906534741161, log10 erfc(40/sqrt 2) = -349.13597646368186
        assertThat(MannWhitney.log10TwoSidedNormal(20, 0)).isCloseTo(-88.25906534741161, within(1e-10));
        assertThat(MannWhitney.log10TwoSidedNormal(40, 0)).isCloseTo(-349.13597646368186, within(1e-10));
        double p = org.apache.commons.math3.special.Erf.erfc(19.9 / Math.sqrt(2));
        assertThat(MannWhitney.log10TwoSidedNormal(19.9, p)).isCloseTo(Math.log10(p), within(1e-12));
    }

    @Test
    void countsAreTheGaussianBinomialCoefficients() {
        // [5 over 2]_q = 1 + q + 2q^2 + 2q^3 + 2q^4 + q^5 + q^6 (sum 10 = C(5,2))
        assertThat(MannWhitney.countsUpTo(2, 3, 6)).containsExactly(1, 1, 2, 2, 2, 1, 1);
    }

    @Test
    void emptyOrNonFiniteSamplesAreRejected() {
        assertThatThrownBy(() -> MannWhitney.test(new double[0], new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("first sample");
        assertThatThrownBy(() -> MannWhitney.test(new double[] {1}, new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("second sample");
        assertThatThrownBy(() -> MannWhitney.test(new double[] {1}, new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
