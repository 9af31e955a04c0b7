package dev.wasmorch.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.parse.InterestFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The marker-first scan against the obvious line-by-line definition, on random logs. */
class LineScannerTest {

    private static final String[] PIECES = {
        "I1126 21:24:09.123456    1234 kubelet.go:42] ",
        "WASMORCH-LIFECYCLE/1 ts=2026-11-26T21:24:09.123456Z event=PodSeen",
        "\"Event occurred\" object=\"fn/aes\"",
        "===K3S-CUSTOM-998===",
        "noise ",
        "x",
        "\r",
        "é",
        "WASMORCH-LIFECYC",
        "\"Successfully bound pod to node\"",
        "Observed pod startup duration"
    };

    private final Random random = new Random(20231126);

    @RepeatedTest(20)
    void findsTheSameLinesAsALineByLineFilter() throws IOException {
        StringBuilder text = new StringBuilder();
        int lineCount = 1 + random.nextInt(20_000);
        for (int i = 0; i < lineCount; i++) {
            int pieces = random.nextInt(6);
            for (int j = 0; j < pieces; j++) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
            if (i < lineCount - 1 || random.nextBoolean()) {
                text.append('\n');
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        List<String> expected = new ArrayList<>();
        String[] lines = text.toString().split("\n", -1);
        int total = text.length() == 0 ? 0 : (text.charAt(text.length() - 1) == '\n' ? lines.length - 1 : lines.length);
        for (int i = 0; i < total; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            if (InterestFilter.mayBeOfInterest(b, 0, b.length)) {
                expected.add((i + 1) + ":" + line);
            }
        }

        List<String> actual = new ArrayList<>();
        try (LineScanner scanner = new LineScanner(new ByteArrayInputStream(bytes), 65_536)) {
            while (scanner.step((no, line) -> actual.add(no + ":" + line))) {
                // reads to the end
            }
            assertThat(scanner.lines()).isEqualTo(total);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void countsNewlinesExactlyWhateverTheBytes() {
        byte[] b = new byte[4099];
        random.nextBytes(b);
        for (int i = 0; i < b.length; i += 1 + random.nextInt(40)) {
            b[i] = '\n';
        }
        // Eight newlines in one word: the most one word's sum has to hold.
        Arrays.fill(b, 1000, 1100, (byte) '\n');
        for (int from = 0; from < 20; from++) {
            int naive = 0;
            for (int i = from; i < b.length - from; i++) {
                naive += b[i] == '\n' ? 1 : 0;
            }
            assertThat(LineScanner.countNewlines(b, from, b.length - from)).isEqualTo(naive);
        }
    }
}
