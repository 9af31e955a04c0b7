package dev.wasmorch.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
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

    @Property(tries = 5000)
    void fixedDecimalsAreWhatStringFormatWrites(@ForAll("values") double v, @ForAll @IntRange(max = 7) int decimals) {
        assertThat(Html.fixed(v, decimals))
                .as("%s with %d decimals", v, decimals)
                .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", v));
    }

    @Test
    void fixedDecimalsAtTheEdges() {
        assertThat(Html.fixed(0.15, 1)).isEqualTo("0.2"); // half up on the shortest digits, as Formatter
        assertThat(Html.fixed(-0.04, 1)).isEqualTo("-0.0");
        assertThat(Html.fixed(-0.0, 2)).isEqualTo("-0.00");
        assertThat(Html.fixed(1.5e300, 1)).isEqualTo(String.format(Locale.ROOT, "%.1f", 1.5e300));
        assertThat(Html.fixed(Double.NaN, 3)).isEqualTo("NaN");
        assertThat(Html.fixed(Double.NEGATIVE_INFINITY, 1)).isEqualTo("-Infinity");
    }

    @Property(tries = 2000)
    void countsAreGroupedAsStringFormatGroupsThem(@ForAll long n) {
        assertThat(Html.count(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }

    @Test
    void countsAtTheEdges() {
        assertThat(Html.count(0)).isEqualTo("0");
        assertThat(Html.count(999)).isEqualTo("999");
        assertThat(Html.count(-1000)).isEqualTo("-1,000");
        assertThat(Html.count(Long.MIN_VALUE)).isEqualTo("-9,223,372,036,854,775,808");
    }

    /**
     * What the report formats, and where rounding is delicate: any double, coordinates and seconds
     * of every size, values on a rounding boundary (x.x5, x.xx5) and small negatives that round to
     * zero.
     */
    @Provide
    Arbitrary<Double> values() {
        Arbitrary<Double> boundaries = Arbitraries.integers()
                .between(-100_000, 100_000)
                .flatMap(i -> Arbitraries.of(1, 2, 3, 4, 5, 6).map(d -> (i + 0.5) / Math.pow(10, d)));
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite)),
                Tuple.of(3, Arbitraries.doubles().between(-2000, 2000).ofScale(12)),
                Tuple.of(2, Arbitraries.doubles().between(-1e-3, 1e-3).ofScale(12)),
                Tuple.of(1, Arbitraries.doubles().between(1e6, 1e16).ofScale(3)),
                Tuple.of(3, boundaries),
                Tuple.of(1, Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE)));
    }
}
