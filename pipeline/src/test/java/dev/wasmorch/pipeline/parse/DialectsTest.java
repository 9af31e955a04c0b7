package dev.wasmorch.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registered dialects and the byte pre-filter agree: no line a dialect reads is filtered out. */
class DialectsTest {

    /** A line of every registered dialect, as the components print them. */
    private static final List<String> LINES = List.of(
            Lines.NATIVE_SCHEDULED,
            Lines.STUDY_STARTED,
            Lines.EVENT_STARTED,
            Lines.SCHEDULER_BOUND,
            Lines.KUBELET_STARTUP);

    @Test
    void theFilterLooksForTheMarkersOfTheRegisteredDialects() {
        assertThat(InterestFilter.TEXT_MARKERS)
                .containsExactlyElementsOf(
                        Dialects.ALL.stream().map(Dialect::marker).toList());
    }

    @Test
    void everyDialectReadsOneOfTheLines() {
        for (Dialect dialect : Dialects.ALL) {
            assertThat(LINES).as(dialect.marker()).anyMatch(line -> dialect.find(line) >= 0);
        }
    }

    /** Every prefix and suffix of the lines too, so a marker broken off at either end is tried. */
    @Test
    void whatADialectFindsThePreFilterPasses() {
        for (String line : LINES) {
            for (int i = 0; i <= line.length(); i++) {
                passes(line.substring(0, i));
                passes(line.substring(i));
            }
        }
    }

    private static void passes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (Dialect dialect : Dialects.ALL) {
            if (dialect.find(text) >= 0) {
                assertThat(InterestFilter.mayBeOfInterest(bytes, 0, bytes.length))
                        .as(text)
                        .isTrue();
                assertThat(InterestFilter.mayBeOfInterest(text)).as(text).isTrue();
            }
        }
    }
}
