package dev.wasmorch.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    private String report() throws IOException {
        Path page = ReportWriter.write(dir);
        assertThat(page).isEqualTo(dir.resolve("report.html"));
        return Files.readString(page);
    }

    private void samples(String... lines) throws IOException {
        Fixtures.write(dir.resolve("samples.csv"), "scenario,function,runtime,metric,value", List.of(lines));
    }

    private static int count(String haystack, String needle) {
        return haystack.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void fullReportHasHeadlineChartsAndTables() throws IOException {
        Fixtures.experiment(dir, Fixtures.FUNCTIONS, 200);
        Fixtures.pods(dir, 1000);
        Fixtures.rejects(dir);
        Fixtures.summary(dir);
        String html = report();

        // Headline: pooled means, speedup, the weakest per-function p-value shown from its log10.
        assertThat(html).contains("class=\"card headline\" data-scenario=\"instantiation\"");
        Matcher speedup = Pattern.compile("class=\"speedup\">([0-9.]+)×").matcher(html);
        assertThat(speedup.find()).isTrue();
        assertThat(Double.parseDouble(speedup.group(1))).isBetween(2.0, 2.2);
        assertThat(html).contains("class=\"pvalue\">3.2e-38</b>").contains("9 of 9 below 0.05");

        // Bars: 9 functions x 2 runtimes x 2 metrics, each with a CI whisker; the mean is the stats row's.
        assertThat(count(html, "<rect class=\"bar\"")).isEqualTo(36);
        assertThat(count(html, "<path class=\"ci\"")).isEqualTo(36);
        String aesWasm = Files.readAllLines(dir.resolve("stats.csv")).get(1);
        assertThat(aesWasm).startsWith("instantiation,aes,wasm,scheduled_to_started,200,");
        assertThat(html)
                .contains("data-function=\"aes\" data-runtime=\"wasm\" data-mean=\"" + aesWasm.split(",")[5] + "\"");
        // Box plots per function and runtime, and one CDF with a curve per runtime.
        assertThat(count(html, "<g class=\"box\"")).isEqualTo(36);
        assertThat(count(html, "class=\"chart cdf\"")).isEqualTo(1);
        assertThat(html)
                .contains("<polyline class=\"cdf-line\" data-runtime=\"wasm\" data-n=\"1800\"")
                .contains("<polyline class=\"cdf-line\" data-runtime=\"container\" data-n=\"1800\"");
        Matcher median = Pattern.compile("data-runtime=\"wasm\" data-n=\"1800\" data-median=\"([0-9.]+)\"")
                .matcher(html);
        assertThat(median.find()).isTrue();
        assertThat(Double.parseDouble(median.group(1))).isBetween(0.8, 0.98);

        // Tables: comparisons with tiny p-values, stats, pods with problems listed, rejects, counters.
        assertThat(count(html, "<table class=\"sortable\" id=\"t-comparisons\""))
                .isEqualTo(1);
        assertThat(html)
                .contains("<b class=\"pods-total\">1,000</b>")
                .contains("<b class=\"pods-incomplete\">20</b>")
                .contains("aes-wasm-5d8f7c9b4-p7<")
                .contains("negative_interval:scheduled_to_started")
                .contains("<td>bad_timestamp</td><td class=\"n\">1</td><td class=\"n\">1</td>")
                .contains("<td>unknown_event</td><td class=\"n\">2</td><td class=\"n\">2</td>")
                .contains("<td>lines_read</td><td class=\"n\">120,000</td>");
        // Self-contained: the only URL is the SVG namespace.
        assertThat(html.replace("http://www.w3.org/2000/svg", ""))
                .doesNotContain("http:")
                .doesNotContain("https:")
                .doesNotContain("<link")
                .doesNotContain(" src=");
    }

    @Test
    void hostileLabelsAreEscapedEverywhere() throws IOException {
        String evil = "<script>alert(1)</script>";
        String attr = "\"><img src=x onerror=alert(2)>";
        Fixtures.experiment(dir, List.of(evil, attr, "ok"), 20);
        Fixtures.write(
                dir.resolve("pods.csv"),
                "namespace,pod,node,runtime,function,scenario,complete,flags",
                List.of(Fixtures.csv(attr, evil, "agent-1", "wasm", evil, "x", "false", "incomplete;" + evil)));
        Fixtures.write(
                dir.resolve("rejects.csv"),
                "file,line,reason,detail,excerpt",
                List.of(Fixtures.csv(evil, 1, attr, evil, "bell\u0007" + evil)));
        String html = report();
        assertThat(html)
                .doesNotContain(evil)
                .doesNotContain("<img")
                .doesNotContain("\u0007")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("data-function=\"&quot;&gt;&lt;img src=x onerror=alert(2)&gt;\"");
        assertThat(count(html, "<script>")).isEqualTo(1);
    }

    @Test
    void anEmptyDirectoryStillGivesAPageSayingWhatIsMissing() throws IOException {
        String html = report();
        assertThat(html)
                .contains("No instantiation times")
                .contains("stats.csv is missing or empty")
                .contains("comparisons.csv is missing or empty")
                .contains("pods.csv is missing or empty")
                .contains("summary.json is missing")
                .doesNotContain("<svg");
    }

    @Test
    void samplesAloneDrawDistributionsAndTheHeadlineFromTheSamples() throws IOException {
        Fixtures.experiment(dir, List.of("aes", "matmul"), 50);
        Files.delete(dir.resolve("stats.csv"));
        Files.delete(dir.resolve("comparisons.csv"));
        String html = report();
        assertThat(count(html, "<g class=\"box\"")).isEqualTo(8);
        assertThat(html)
                .doesNotContain("<rect class=\"bar\"")
                .contains("no means in stats.csv")
                .contains("class=\"speedup\">")
                .contains("no comparison (p-value) in comparisons.csv");
    }

    @Test
    void createdToStartedStandsInWhenThereIsNoScheduledToStarted() throws IOException {
        // The 2023 study's data: only created_to_started, no pods, no summary.
        samples(
                Fixtures.csv("serial", "aes", "wasm", "created_to_started", "0.8"),
                Fixtures.csv("serial", "aes", "container", "created_to_started", "1.7"),
                Fixtures.csv("serial", "aes", "container", "created_to_started", "not-a-number"));
        String html = report();
        assertThat(html)
                .contains("mean created_to_started")
                .contains("class=\"speedup\">2.13×")
                .contains("CDF of created_to_started")
                .contains("1 rows of samples.csv had no numeric value");
    }

    @Test
    void brokenInputKeepsWhatCanBeReadAndSaysWhatWasNot() throws IOException {
        samples(
                Fixtures.csv("s", "aes", "wasm", "scheduled_to_started", "0.8"),
                "s,aes,wasm,scheduled_to_started,\"0.9\r\n",
                "s,aes,wasm,scheduled_to_started,0.7,\"oops\r\n");
        Files.writeString(dir.resolve("summary.json"), "{not json");
        Fixtures.write(
                dir.resolve("stats.csv"),
                "scenario,function,runtime,metric,n,mean",
                List.of(
                        Fixtures.csv("s", "aes", "lambda", "scheduled_to_started", 3, "0.5"),
                        Fixtures.csv("s", "aes", "wasm", "scheduled_to_started", 3, "0.8")));
        String html = report();
        assertThat(html)
                .contains("<tr><td>stats.csv</td><td>yes</td><td class=\"n\">2</td><td class=\"n\">1</td>")
                .contains("data-function=\"aes\" data-runtime=\"wasm\" data-mean=\"0.800000\"")
                .contains("stopped after")
                .contains("summary.json unreadable")
                .contains("data-runtime=\"wasm\" data-n=\"");
    }

    @Test
    void largeInputsAreReducedWhileStreaming() throws IOException {
        int rows = 400_000;
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("samples.csv"))) {
            w.write("scenario,function,runtime,metric,value\n");
            for (int i = 0; i < rows; i++) {
                double value = (i % 2 == 0 ? 0.5 : 1.5) + (i % 1000) / 1000.0 * 0.1;
                w.write("big,aes," + (i % 2 == 0 ? "wasm" : "container") + ",scheduled_to_started," + value + "\n");
            }
        }
        Fixtures.pods(dir, 50_000);
        String html = report();
        assertThat(html)
                .contains("data-runtime=\"wasm\" data-n=\"200000\"")
                .contains("<b class=\"pods-total\">50,000</b>")
                .contains("… and ");
        // Only the first 200 problem pods are listed by name.
        assertThat(count(html, "aes-wasm-5d8f7c9b4-p"))
                .isEqualTo(ReportOptions.defaults().listedPods());
    }

    @Test
    void aMissingDirectoryIsAnErrorNamingIt() {
        assertThatThrownBy(() -> ReportWriter.write(dir.resolve("nope"))).hasMessageContaining("nope");
    }
}
