package dev.wasmorch.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void pValuesStayReadableAtAnySize() {
        assertThat(Html.pValue(0.0312, Math.log10(0.0312))).isEqualTo("0.0312");
        assertThat(Html.pValue(2.5e-7, Math.log10(2.5e-7))).isEqualTo("2.5e-7");
        // Underflowed p-value: the log10 column still gives it.
        assertThat(Html.pValue(0, -400.5)).isEqualTo("3.2e-401");
        assertThat(Html.pValue(Double.NaN, Double.NaN)).isEmpty();
    }

    @Test
    void escapesMarkupQuotesAndControlCharacters() {
        assertThat(Html.esc("<a href='x'>\"&\u0001")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;\uFFFD");
        assertThat(Html.esc(null)).isEmpty();
    }

    @Test
    void axesEndOnNiceNumbers() {
        assertThat(Axis.upTo(1.83)).isEqualTo(new Axis(2.0, 0.5));
        assertThat(Axis.upTo(0.87)).isEqualTo(new Axis(1.0, 0.2));
        assertThat(Axis.upTo(0.87).label(2)).isEqualTo("0.4");
        assertThat(Axis.upTo(11)).isEqualTo(new Axis(12.5, 2.5));
        assertThat(Axis.upTo(11).label(1)).isEqualTo("2.5");
        assertThat(Axis.upTo(0)).isEqualTo(new Axis(1, 0.2));
    }
}
