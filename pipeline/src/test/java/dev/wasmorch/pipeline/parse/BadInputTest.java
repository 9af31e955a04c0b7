package dev.wasmorch.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.RawLine;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever arrives, the parser answers with events, a reject or a skip, and never throws. */
class BadInputTest {

    private final LineParser parser = new LineParser(ParserOptions.defaults());

    private static final String[] VALID = {
        Lines.NATIVE_SCHEDULED,
        Lines.SCHEDULER_BOUND,
        Lines.KUBELET_STARTUP,
        "{\"_HOSTNAME\":\"server-1\",\"MESSAGE\":\"" + Lines.SCHEDULER_BOUND.replace("\"", "\\\"") + "\"}",
        "I0512 10:11:12.654321    2345 event.go:294] \"===K3S-CUSTOM-998===\" reason=\"Started\""
                + " message=\"Started container aes\" object=\"default/aes-1\" time=\"2023-05-12T10:11:12.654310Z\"",
    };

    @Test
    void randomBytesNeverThrow() {
        Random rnd = new Random(42);
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            // Plant a marker in half of them so the parser really works on the garbage.
            String text = Utf8.decode(b, 0, b.length);
            if (i % 2 == 0) {
                String marker = InterestFilter.TEXT_MARKERS[rnd.nextInt(InterestFilter.TEXT_MARKERS.length)];
                int at = rnd.nextInt(text.length() + 1);
                text = text.substring(0, at) + (i % 4 == 0 ? "\"" + marker + "\" " : marker + " ") + text.substring(at);
            }
            assertWellFormed(parser.parse(RawLine.of("fuzz.log", i + 1, text, Lines.MTIME)));
        }
    }

    @Test
    void truncatedAndMutatedValidLinesNeverThrow() {
        Random rnd = new Random(7);
        String alphabet = "\"\\= {}[]:/\u0000\nxé";
        for (String valid : VALID) {
            for (int cut = 0; cut <= valid.length(); cut++) {
                assertWellFormed(parser.parse(Lines.raw(valid.substring(0, cut))));
            }
            for (int k = 0; k < 2000; k++) {
                StringBuilder sb = new StringBuilder(valid);
                for (int m = 0; m < 1 + rnd.nextInt(3); m++) {
                    int at = rnd.nextInt(sb.length());
                    switch (rnd.nextInt(3)) {
                        case 0 -> sb.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                        case 1 -> sb.deleteCharAt(at);
                        default -> sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    }
                }
                assertWellFormed(parser.parse(Lines.raw(sb.toString())));
            }
        }
    }

    @Test
    void aTruncatedNativeLineIsRejectedNotMisread() {
        String cut = Lines.NATIVE_SCHEDULED.substring(0, Lines.NATIVE_SCHEDULED.indexOf(" host="));
        ParseResult r = parser.parse(Lines.raw(cut));
        assertThat(r.reject().reason()).isEqualTo("missing_field");
        assertThat(r.reject().detail()).contains("host");
    }

    @Test
    void megabyteLineIsTooLongWithAShortExcerpt() {
        String huge = Lines.NATIVE_SCHEDULED + " msg=\"" + "x".repeat(1 << 20) + "\"";
        ParseResult r = parser.parse(Lines.raw(huge));
        assertThat(r.reject().reason()).isEqualTo("line_too_long");
        assertThat(r.reject().detail()).contains("65536");
        assertThat(r.reject().excerpt()).hasSize(200).startsWith("WASMORCH-LIFECYCLE/1");
    }

    @Test
    void invalidUtf8IsRejectedNamingTheByte() {
        byte[] b = (Lines.NATIVE_SCHEDULED + " msg=\"caf\u00e9\"").getBytes(StandardCharsets.UTF_8);
        b[b.length - 2] = (byte) 0xe9; // Latin-1 é where UTF-8 needs two bytes
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 1);
        cut[cut.length - 1] = '"';
        ParseResult r = parser.parse(Lines.raw(Utf8.decode(cut, 0, cut.length)));
        assertThat(r.reject().reason()).isEqualTo("invalid_utf8");
        assertThat(r.reject().detail()).contains("0xc3");
        byte[] shortLine = "WASMORCH-LIFECYCLE/1 pod=caf\u00e9 x".getBytes(StandardCharsets.ISO_8859_1);
        ParseResult s = parser.parse(Lines.raw(Utf8.decode(shortLine, 0, shortLine.length)));
        assertThat(s.reject().detail()).contains("0xe9").contains("column 29");
        assertThat(s.reject().excerpt()).isEqualTo("WASMORCH-LIFECYCLE/1 pod=caf\\xe9 x");
    }

    @Test
    void excerptsEscapeControlCharacters() {
        ParseResult r = parser.parse(Lines.raw("WASMORCH-LIFECYCLE/1 ts=bad\tevent=x\u001b[31m\r"));
        assertThat(r.reject()).isNotNull();
        assertThat(r.reject().excerpt()).isEqualTo("WASMORCH-LIFECYCLE/1 ts=bad\\tevent=x\\x1b[31m\\r");
    }

    @Test
    void brokenJournalRecordsAreBadJson() {
        assertThat(parser.parse(Lines.raw("{\"MESSAGE\":\"WASMORCH-LIFECYCLE/1 ts="))
                        .reject()
                        .reason())
                .isEqualTo("bad_json");
        assertThat(parser.parse(Lines.raw("{\"msg\":\"Successfully bound pod to node\",\"v\":2}"))
                        .reject()
                        .detail())
                .contains("MESSAGE");
        assertThat(parser.parse(Lines.raw("{\"MESSAGE\":[1,2,999],\"x\":\"Event occurred\"}"))
                        .reject()
                        .reason())
                .isEqualTo("bad_json");
        assertThat(parser.parse(Lines.raw("{\"MESSAGE\":\"plain\",\"OTHER\":\"Event occurred\"}"))
                        .skipped())
                .isTrue();
    }

    private static void assertWellFormed(ParseResult r) {
        assertThat(r).isNotNull();
        if (r.reject() != null) {
            assertThat(r.events()).isEmpty();
            assertThat(r.reject().reason()).isNotBlank().doesNotContain("internal_error");
            assertThat(r.reject().detail()).isNotBlank();
            assertThat(r.reject().excerpt().length()).isLessThanOrEqualTo(200);
            assertThat(r.reject().excerpt()).doesNotContain("\n", "\r");
        }
        r.events().forEach(e -> {
            assertThat(e.time()).isNotNull();
            assertThat(e.phase()).isNotNull();
            assertThat(e.namespace()).isNotEmpty();
            assertThat(e.pod()).isNotEmpty();
        });
    }
}
