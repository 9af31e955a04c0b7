package dev.wasmorch.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReservoirTest {

    @Test
    void smallGroupsGiveExactType7Quantiles() {
        Reservoir r = new Reservoir(16, 1);
        for (double v : new double[] {5, 1, 4, 2, 3}) {
            r.add(v);
        }
        assertThat(r.exact()).isTrue();
        assertThat(r.quantile(0.5)).isEqualTo(3);
        assertThat(r.quantile(0.25)).isEqualTo(2);
        assertThat(r.quantile(0.1)).isCloseTo(1.4, within(1e-12));
        assertThat(r.mean()).isEqualTo(3);
    }

    @Test
    void whiskersStopAtOneAndAHalfIqr() {
        Reservoir r = new Reservoir(64, 1);
        for (int i = 1; i <= 9; i++) {
            r.add(i);
        }
        r.add(100);
        // Q1 = 3.25, Q3 = 7.75, fences -3.5 and 14.5: 100 is an outlier, 9 the upper whisker.
        assertThat(r.whiskers()).containsExactly(1, 9);
    }

    @Test
    void bigGroupsKeepExactCountsAndAFairSample() {
        Reservoir r = new Reservoir(4096, 7);
        for (int i = 1; i <= 1_000_000; i++) {
            r.add(i);
        }
        assertThat(r.exact()).isFalse();
        assertThat(r.count()).isEqualTo(1_000_000);
        assertThat(r.min()).isEqualTo(1);
        assertThat(r.max()).isEqualTo(1_000_000);
        assertThat(r.mean()).isEqualTo(500_000.5);
        assertThat(r.quantile(0.5)).isCloseTo(500_000, within(25_000.0));
        assertThat(r.quantile(0.9)).isCloseTo(900_000, within(15_000.0));
    }
}
