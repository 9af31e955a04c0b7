package dev.wasmorch.pipeline.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.sink.postgres.Lifecycles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every result file reads back what it wrote, column for column. */
class ResultFilesTest {

    @TempDir
    Path dir;

    @Test
    void statsReadBackAsWritten() {
        // Three pods too few for a confidence interval: the empty cells read back as NaN.
        SummaryStats s = new SummaryStats(
                "instantiation",
                "fib",
                Runtime.CONTAINER,
                "scheduled_to_started",
                3,
                1.5,
                1.25,
                1.9,
                1.95,
                1.99,
                1.0,
                2.0,
                0.5,
                1 / 3.0,
                Double.NaN,
                Double.NaN);
        assertThat(StatsFile.read(row(StatsFile.COLUMNS, StatsFile.row(s)))).isEqualTo(s);
    }

    @Test
    void comparisonsReadBackAsWritten() {
        Comparison c = new Comparison(
                "instantiation", "aes", "scheduled_to_started", 5, 5, 0.82, 1.72, 2.1, 0.0, -2.6, 0.0, -400.5, -1.0);
        assertThat(ComparisonsFile.read(row(ComparisonsFile.COLUMNS, ComparisonsFile.row(c))))
                .isEqualTo(c);
        assertThat(ComparisonsFile.log10P(c)).isEqualTo(-400.5);
    }

    @Test
    void podsSamplesAndRejectsReadBackWhatTheReportUses() {
        var pod = Lifecycles.pod(
                "aes-w1", Runtime.WASM, "aes", Instant.parse("2026-11-26T21:24:10Z"), 0.5, "agent-1", "skew");
        assertThat(PodsFile.read(row(PodsFile.COLUMNS, PodsFile.row(pod))))
                .isEqualTo(
                        new PodsFile.Entry("fn", "aes-w1", "agent-1", "wasm", "aes", "instantiation", 0, true, "skew"));
        assertThat(SamplesFile.read(row(
                        SamplesFile.COLUMNS,
                        SamplesFile.row(new Sample("serial", "aes", Runtime.CONTAINER, "response_time", 0.25)))))
                .isEqualTo(new SamplesFile.Entry("serial", "aes", "container", "response_time", 0.25));
        assertThat(RejectsFile.read(row(
                        RejectsFile.COLUMNS,
                        RejectsFile.row(new Reject("k3s.log", 7, "bad_timestamp", "field ts", "x")))))
                .isEqualTo(new RejectsFile.Entry("k3s.log", "7", "bad_timestamp", "field ts", "x"));
    }

    @Test
    void summaryReadsBackItsCountersAndRejectsPerReason() throws IOException {
        Path file = dir.resolve(SummaryFile.NAME);
        Files.writeString(
                file,
                SummaryFile.json(Map.of("lines_read", 10L, "pods_complete", 2L, "rejected:bad_timestamp", 3L))
                        .toString());
        SummaryFile.Totals totals = SummaryFile.read(file);
        assertThat(totals.present()).isTrue();
        assertThat(totals.get("lines_read")).isEqualTo(10);
        assertThat(totals.get("pods_total")).isEqualTo(2);
        assertThat(totals.get("rejected_total")).isEqualTo(3);
        assertThat(totals.rejected()).containsExactlyEntriesOf(Map.of("bad_timestamp", 3L));
    }

    private static CsvInput.Row row(List<String> columns, List<String> cells) {
        assertThat(cells).hasSameSizeAs(columns);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        return new CsvInput.Row(index, cells.toArray(String[]::new));
    }
}
