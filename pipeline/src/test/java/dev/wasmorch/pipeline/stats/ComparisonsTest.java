package dev.wasmorch.pipeline.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wasmorch.pipeline.model.Comparison;
import org.junit.jupiter.api.Test;

class ComparisonsTest {

    @Test
    void comparesWasmAgainstContainer() {
        // WASM 0.8 0.9 1.0 (mean 0.9) vs container 1.6 1.7 1.8 1.9 (mean 1.75): no ties, exact.
        // U1 = 0, p = 2 / C(7,3) = 2/35; effect -1 (WASM all faster); speedup 1.75 / 0.9
        Comparison c = Comparisons.compare(
                "instantiation", "aes", "created_to_started", new double[] {0.8, 0.9, 1.0}, new double[] {
                    1.6, 1.7, 1.8, 1.9
                });
        assertThat(c.scenario()).isEqualTo("instantiation");
        assertThat(c.function()).isEqualTo("aes");
        assertThat(c.metric()).isEqualTo("created_to_started");
        assertThat(c.nWasm()).isEqualTo(3);
        assertThat(c.nContainer()).isEqualTo(4);
        assertThat(c.meanWasm()).isCloseTo(0.9, within(1e-12));
        assertThat(c.meanContainer()).isCloseTo(1.75, within(1e-12));
        assertThat(c.speedup()).isCloseTo(1.75 / 0.9, within(1e-12));
        assertThat(c.u()).isEqualTo(0);
        assertThat(c.z()).isNaN();
        assertThat(c.pValue()).isCloseTo(2.0 / 35, within(1e-12));
        assertThat(c.log10P()).isCloseTo(Math.log10(2.0 / 35), within(1e-12));
        assertThat(c.effectSize()).isEqualTo(-1);
    }
}
