package dev.wasmorch.contract.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The writer and the parser of the native line agree, and the parser names what is wrong. */
class NativeLineTest {

    private static final Instant T = Instant.parse("2026-11-26T21:24:09.123456Z");

    @Property
    void whateverIsWrittenIsReadBackUnchanged(@ForAll("values") String pod, @ForAll("values") String container) {
        String line = NativeLine.of(T, "ContainerStarted")
                .field("ns", "default")
                .field("pod", pod)
                .field("container", container)
                .toString();

        assertThat(line).startsWith(NativeLine.MARKER + " ").doesNotContain("\n", "\r");
        Map<String, String> fields = parse(line);
        assertThat(fields)
                .containsEntry("ts", "2026-11-26T21:24:09.123456Z")
                .containsEntry("event", "ContainerStarted")
                .containsEntry("pod", pod)
                .containsEntry("container", container)
                .hasSize(5);
    }

    /** Any chars, lone surrogates and controls included, and the characters that need quoting. */
    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(30),
                Arbitraries.strings()
                        .withChars("aZ09._:/@+,- \"\\=\n\t\u0000\u2028\uD800")
                        .ofMaxLength(12));
    }

    @Example
    void bareValuesStayBareAndTheRestIsQuoted() {
        assertThat(NativeLine.of(T, "PodSeen")
                        .field("pod", "aes-1")
                        .field("msg", "a b")
                        .field("empty", ""))
                .hasToString(NativeLine.MARKER + " ts=2026-11-26T21:24:09.123456Z event=PodSeen pod=aes-1"
                        + " msg=\"a b\" empty=\"\"");
    }

    @Example
    void malformedLinesNameTheReasonAndTheField() {
        assertReject("x=1", "bad_syntax", "marker");
        assertReject(" stray", "bad_syntax", "stray");
        assertReject(" pod=a pod=b", "duplicate_field", "pod");
        assertReject(" pod=\"a", "bad_quoting", "pod");
        assertReject(" pod=\"a\"b", "bad_quoting", "pod");
        assertReject(" pod=a*b", "bad_quoting", "pod");
        assertReject(" pod=", "bad_quoting", "pod");
        assertReject(" pod=\"a\\q\"", "bad_quoting", "pod");
        assertReject(" pod=\"a\\xffb\"", "invalid_utf8", "\\xff");
    }

    private static void assertReject(String afterMarker, String reason, String named) {
        String line = NativeLine.MARKER + afterMarker;
        assertThatThrownBy(() -> NativeLine.parse(line, NativeLine.MARKER.length()))
                .isInstanceOfSatisfying(
                        MalformedLine.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(named);
    }

    private static Map<String, String> parse(String line) {
        try {
            return NativeLine.parse(line, NativeLine.MARKER.length());
        } catch (MalformedLine e) {
            throw new AssertionError(e.reason() + ": " + e.getMessage(), e);
        }
    }
}
