package dev.wasmorch.pipeline.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.SummaryStats;
import org.junit.jupiter.api.Test;

class DescriptiveTest {

    private static final double EPS = 1e-9;

    private static SummaryStats of(double... values) {
        return Descriptive.summarize("serial", "aes", Runtime.WASM, "response_time", values);
    }

    @Test
    void fiveValuesByHand() {
        // Given unsorted to show the order does not matter. Sorted: 0.1 0.2 0.4 0.8 1.6, n = 5.
        SummaryStats s = of(0.8, 0.1, 1.6, 0.4, 0.2);
        assertThat(s.scenario()).isEqualTo("serial");
        assertThat(s.function()).isEqualTo("aes");
        assertThat(s.runtime()).isEqualTo(Runtime.WASM);
        assertThat(s.metric()).isEqualTo("response_time");
        assertThat(s.n()).isEqualTo(5);
        // mean = 3.1 / 5
        assertThat(s.mean()).isCloseTo(0.62, within(EPS));
        // type 7: h = 4 p: p50 h=2 -> x[2] = 0.4; p90 h=3.6 -> 0.8 + 0.6 * 0.8 = 1.28;
        // p95 h=3.8 -> 0.8 + 0.8 * 0.8 = 1.44; p99 h=3.96 -> 0.8 + 0.96 * 0.8 = 1.568
        // (numpy.percentile gives the same four numbers).
        assertThat(s.median()).isCloseTo(0.4, within(EPS));
        assertThat(s.p90()).isCloseTo(1.28, within(EPS));
        assertThat(s.p95()).isCloseTo(1.44, within(EPS));
        assertThat(s.p99()).isCloseTo(1.568, within(EPS));
        assertThat(s.min()).isEqualTo(0.1);
        assertThat(s.max()).isEqualTo(1.6);
        // deviations -.52 -.42 -.22 .18 .98, squares sum to 1.488: sample var 1.488/4 = 0.372
        assertThat(s.sd()).isCloseTo(Math.sqrt(0.372), within(EPS));
        // population var 1.488/5 = 0.2976; cv = sqrt(0.2976)/0.62 = 0.879882... (scipy.stats.variation)
        assertThat(s.cv()).isCloseTo(Math.sqrt(0.2976) / 0.62, within(EPS));
        assertThat(s.cv()).isCloseTo(0.8798826901, within(1e-9));
        // t(0.975, 4) = 2.776445105; half width = 2.776445105 * sqrt(0.372) / sqrt(5) = 0.7573116
        double half = 2.7764451051977934 * Math.sqrt(0.372) / Math.sqrt(5);
        assertThat(s.ci95Low()).isCloseTo(0.62 - half, within(1e-9));
        assertThat(s.ci95High()).isCloseTo(0.62 + half, within(1e-9));
    }

    @Test
    void fourIntegersByHand() {
        SummaryStats s = of(4, 3, 2, 1);
        // h = 3 p: p50 h=1.5 -> 2.5; p90 h=2.7 -> 3.7; p95 h=2.85 -> 3.85; p99 h=2.97 -> 3.97
        assertThat(s.median()).isCloseTo(2.5, within(EPS));
        assertThat(s.p90()).isCloseTo(3.7, within(EPS));
        assertThat(s.p95()).isCloseTo(3.85, within(EPS));
        assertThat(s.p99()).isCloseTo(3.97, within(EPS));
        // squares of deviations 2.25 + .25 + .25 + 2.25 = 5: sd sqrt(5/3), population sd sqrt(5/4)
        assertThat(s.sd()).isCloseTo(Math.sqrt(5.0 / 3), within(EPS));
        assertThat(s.cv()).isCloseTo(Math.sqrt(1.25) / 2.5, within(EPS));
        // t(0.975, 3) = 3.182446305
        double half = 3.182446305284263 * Math.sqrt(5.0 / 3) / 2;
        assertThat(s.ci95High() - s.mean()).isCloseTo(half, within(1e-9));
    }

    @Test
    void singleValueHasNoSpreadEstimate() {
        SummaryStats s = of(0.5);
        assertThat(s.n()).isEqualTo(1);
        assertThat(s.mean()).isEqualTo(0.5);
        assertThat(s.median()).isEqualTo(0.5);
        assertThat(s.p99()).isEqualTo(0.5);
        assertThat(s.sd()).isNaN();
        assertThat(s.ci95Low()).isNaN();
        assertThat(s.ci95High()).isNaN();
        // population SD of one value is 0, as scipy.stats.variation([0.5]) == 0.0
        assertThat(s.cv()).isEqualTo(0.0);
    }

    @Test
    void equalValuesHaveZeroSpreadAndAPointInterval() {
        SummaryStats s = of(0.25, 0.25, 0.25);
        assertThat(s.sd()).isEqualTo(0.0);
        assertThat(s.cv()).isEqualTo(0.0);
        assertThat(s.ci95Low()).isEqualTo(0.25);
        assertThat(s.ci95High()).isEqualTo(0.25);
    }

    @Test
    void emptyAndNonFiniteInputsAreRejectedWithTheGroupAndIndex() {
        assertThatThrownBy(() -> of())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serial/aes/wasm/response_time");
        assertThatThrownBy(() -> of(1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value 1")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> of(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Infinity");
    }

    @Test
    void percentileEndsAreMinAndMax() {
        double[] sorted = {1, 2, 10};
        assertThat(Descriptive.percentile(sorted, 0)).isEqualTo(1);
        assertThat(Descriptive.percentile(sorted, 100)).isEqualTo(10);
        // h = 2 * 0.75 = 1.5 -> 2 + 0.5 * 8
        assertThat(Descriptive.percentile(sorted, 75)).isEqualTo(6);
        assertThatThrownBy(() -> Descriptive.percentile(sorted, 101)).isInstanceOf(IllegalArgumentException.class);
    }
}
