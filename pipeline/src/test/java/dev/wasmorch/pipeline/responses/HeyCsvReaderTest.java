package dev.wasmorch.pipeline.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeyCsvReaderTest {

    @TempDir
    Path dir;

    private LabelledFile write(String content) throws Exception {
        Path file = dir.resolve("aes-serial.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return new LabelledFile(file, "serial", "aes", Runtime.WASM);
    }

    @Test
    void readsAppendedRunsAndKeepsNon2xxApart() throws Exception {
        LabelledFile file = write(String.join(
                        "\n",
                        HeyCsvReader.HEADER,
                        "0.0661,0.0402,0.0002,0.0001,0.0192,0.0065,200,0.0024",
                        "0.0700,0.0402,0.0002,0.0001,0.0192,0.0065,503,0.0100",
                        "", // runs separated by an empty line
                        HeyCsvReader.HEADER + "\r", // a second run, Windows line end
                        "0.0657,0.0396,0.0000,0.0001,0.0187,0.0072,204,0.0685\r",
                        "1.0000,0.0000,0.0000,0.0000,0.0000,0.0000,0,0.2000",
                        "0.0500,0.0396,0.0000,0.0001,0.0187,0.0072,503,0.3000")
                + "\n");
        ResponseData data = HeyCsvReader.read(file);
        assertThat(data.samples())
                .containsExactly(
                        new Sample("serial", "aes", Runtime.WASM, "response_time", 0.0661),
                        new Sample("serial", "aes", Runtime.WASM, "response_time", 0.0657));
        String name = file.path().toString();
        assertThat(data.non2xx())
                .containsExactly(new ResponseData.StatusCount(name, 0, 1), new ResponseData.StatusCount(name, 503, 2));
        assertThat(data.rejects()).isEmpty();
        assertThat(data.counts()).containsExactly(new Count("responses_non2xx", 3), new Count("responses_samples", 2));
    }

    @Test
    void malformedRowsAreRejectedWithFileAndLine() throws Exception {
        LabelledFile file = write(String.join(
                "\n",
                "\uFEFF" + HeyCsvReader.HEADER,
                "0.0661,0.0402,0.0002,0.0001,0.0192,0.0065,200", // line 2: 7 fields
                "abc,0.0402,0.0002,0.0001,0.0192,0.0065,200,0.0024", // 3: not a number
                "-0.1,0.0402,0.0002,0.0001,0.0192,0.0065,200,0.0024", // 4: negative
                "NaN,0.0402,0.0002,0.0001,0.0192,0.0065,200,0.0024", // 5: not finite
                "0.0661,0.0402,0.0002,0.0001,0.0192,0.0065,OK,0.0024", // 6: status
                "0.0661,0.0402,0.0002,0.0001,0.0192,0.0065,200,0.0024\u0007\u0007")); // 7: junk in the unused
        // offset column
        ResponseData data = HeyCsvReader.read(file);
        List<Reject> rejects = data.rejects();
        assertThat(rejects).extracting(Reject::line).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(rejects)
                .extracting(Reject::reason)
                .containsExactly("hey_columns", "hey_value", "hey_value", "hey_value", "hey_status");
        assertThat(rejects).extracting(Reject::file).containsOnly(file.path().toString());
        assertThat(rejects.get(0).detail()).contains("7 fields, expected 8");
        assertThat(rejects.get(1).detail()).contains("'abc'");
        assertThat(rejects.get(4).excerpt()).isEqualTo("0.0661,0.0402,0.0002,0.0001,0.0192,0.0065,OK,0.0024");
        // line 7 has 8 fields; its offset column is not used, so the row counts
        assertThat(data.samples()).hasSize(1);
        assertThat(data.counts())
                .containsExactly(
                        new Count("rejected:hey_columns", 1),
                        new Count("rejected:hey_status", 1),
                        new Count("rejected:hey_value", 3),
                        new Count("responses_samples", 1));
    }

    @Test
    void excerptsEscapeControlCharactersAndStopAt200() {
        assertThat(CsvLines.excerpt("a\u0007b")).isEqualTo("a\\u0007b");
        assertThat(CsvLines.excerpt("x".repeat(500))).hasSize(200);
    }

    @Test
    void anUnreadableFileIsReportedNotThrown() {
        LabelledFile missing = new LabelledFile(dir.resolve("gone.csv"), "serial", "aes", Runtime.WASM);
        ResponseData data = HeyCsvReader.read(missing);
        assertThat(data.samples()).isEmpty();
        assertThat(data.rejects()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("responses_file");
            assertThat(r.line()).isZero();
            assertThat(r.detail()).contains("gone.csv");
        });
    }
}
