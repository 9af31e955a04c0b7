package dev.wasmorch.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CsvCellsTest {

    @Test
    void formulasBecomeText() {
        assertThat(CsvCells.neutral("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(CsvCells.neutral("+cmd|' /C calc'!A0")).startsWith("'+");
        assertThat(CsvCells.neutral("-2+3")).isEqualTo("'-2+3");
        assertThat(CsvCells.neutral("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvCells.neutral("\t=1")).isEqualTo("'\t=1");
    }

    @Test
    void numbersAndPlainTextStayAsTheyAre() {
        assertThat(CsvCells.neutral("-0.000001")).isEqualTo("-0.000001");
        assertThat(CsvCells.neutral("+1.5e-3")).isEqualTo("+1.5e-3");
        assertThat(CsvCells.neutral("aes-wasm-7d9c5b8f6-aaaaa")).isEqualTo("aes-wasm-7d9c5b8f6-aaaaa");
        assertThat(CsvCells.neutral("")).isEmpty();
        assertThat(CsvCells.neutral("grüße 🙂")).isEqualTo("grüße 🙂");
    }

    @Test
    void nulAndLoneSurrogatesAreEscapedSoDistinctInputsStayDistinct() {
        assertThat(CsvCells.neutral("a\u0000b")).isEqualTo("a\\u0000b");
        assertThat(CsvCells.neutral("pod\uD800")).isEqualTo("pod\\ud800");
        assertThat(CsvCells.neutral("pod\uDC00")).isEqualTo("pod\\udc00");
        // an excerpt cut inside an emoji keeps only the high half
        assertThat(CsvCells.neutral("x\uD83D")).isEqualTo("x\\ud83d");
        assertThat(CsvCells.neutral("pod\uD800")).isNotEqualTo(CsvCells.neutral("pod\uD801"));
    }

    @Property(tries = 2000)
    void everyCellEncodesAsUtf8AndStartsNoFormula(@ForAll String cell) throws Exception {
        String safe = CsvCells.neutral(cell);
        StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(safe));
        assertThat(safe.chars()).noneMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r');
        if (!safe.isEmpty() && "=+-@\t\r".indexOf(safe.charAt(0)) >= 0) {
            assertThat(Double.parseDouble(safe)).isNotNaN();
        }
    }
}
