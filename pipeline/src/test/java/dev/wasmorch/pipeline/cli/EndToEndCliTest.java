package dev.wasmorch.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmorch.pipeline.model.Comparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's commands through the real command line (local MiniCluster, as a user runs them). */
class EndToEndCliTest {

    @TempDir
    Path dir;

    @Test
    void demoGeneratesAnalyzesAndReports() throws Exception {
        Path out = dir.resolve("demo");
        WasmorchCliTest.Result r = WasmorchCliTest.run(
                "demo", "--out", out.toString(), "--pods", "180", "--seed", "7", "--parallelism", "2");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out.resolve("report.html")).exists();
        assertThat(ConsoleSummary.comparisons(out).stream()
                        .filter(c -> c.metric().equals("scheduled_to_started"))
                        .toList())
                .hasSize(9)
                .allSatisfy(c -> assertThat(c.speedup()).isGreaterThan(1.5));
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
    }

    @Test
    void paperDataReproducesTheStudysConcurrentMannWhitneyResults() throws Exception {
        Path paper =
                Path.of("..", "..", "shared", "paper-data").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(paper), "../shared/paper-data is not present: " + paper);
        Path out = dir.resolve("paper");

        WasmorchCliTest.Result r = WasmorchCliTest.run(
                "analyze", "--paper-data", paper.toString(), "--out", out.toString(), "--no-report");

        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Double> p = new java.util.HashMap<>();
        for (Comparison c : ConsoleSummary.comparisons(out)) {
            if (c.scenario().equals("concurrent")) {
                p.put(c.function(), c.pValue());
            }
        }
        assertThat(p).hasSize(9);
        assertThat(p.get("n-body")).isCloseTo(0.23, within(0.005));
        assertThat(p.get("whatlang")).isCloseTo(0.25, within(0.005));
        p.entrySet().stream()
                .filter(e -> !List.of("n-body", "whatlang").contains(e.getKey()))
                .forEach(e -> assertThat(e.getValue()).as(e.getKey()).isLessThan(0.05));
    }
}
