package dev.wasmorch.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.results.SummaryFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSummaryTest {

    @TempDir
    Path out;

    @Test
    void printsIngestCountersAndTheHeadlineMetricPerScenario() throws Exception {
        Files.writeString(out.resolve("summary.json"), """
                {"lines_read":5000000,"lines_matched":50000,"rejected_total":3,"rejected":{"bad_timestamp":2,"unknown_event":1},
                 "pods_total":10,"pods_complete":9,"pods_incomplete":1,"duplicates":4,"samples":60}""");
        Files.writeString(out.resolve("comparisons.csv"), """
                scenario,function,metric,n_wasm,n_container,mean_wasm,mean_container,speedup,u,z,p_value,log10_p,effect_size
                instantiation,aes,created_to_scheduled,5,5,0.01,0.01,1.0,12.5,0.0,1.0,0.0,0.0
                instantiation,aes,scheduled_to_started,5,5,0.82,1.72,2.0975609,0.0,-2.6,0.0079,-2.1,-1.0
                serial,aes,response_time,4972,5801,0.0603,0.0517,0.857,1.0,-75.0,0.0,-1252.36,-0.4
                """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ConsoleSummary.print(out, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains(
                        "5,000,000 lines read",
                        "3 rejected (bad_timestamp 2, unknown_event 1)",
                        "10 pods (9 complete, 1 incomplete)");
        assertThat(text).contains("scheduled_to_started").doesNotContain("created_to_scheduled");
        assertThat(text).contains("2.10x", "0.008", "response_time", "4.4e-1253");
    }

    @Test
    void classificationLineCountsEachRuleAndTheUnclassified() throws Exception {
        Path summary = Files.writeString(out.resolve("summary.json"), """
                {"pods_total":10,"pods_unclassified":2,"classified_by:container:namespace=openfaas-fn":3,
                 "classified_by:wasm:name~-wasm-":1}""");

        String line = ConsoleSummary.classificationLine(SummaryFile.read(summary));

        assertThat(line)
                .isEqualTo("Classification: 4 pods by metadata or logs, 4 by rules"
                        + " (container:namespace=openfaas-fn 3, wasm:name~-wasm- 1), 2 unclassified");
    }

    @Test
    void pValuesBelowDoubleRangeComeFromLog10() {
        assertThat(ConsoleSummary.pValue(0.23, -0.638)).isEqualTo("0.230");
        assertThat(ConsoleSummary.pValue(2.6e-34, -33.585)).isEqualTo("2.6e-34");
        assertThat(ConsoleSummary.pValue(0.0, -400.5)).isEqualTo("3.2e-401");
        assertThat(ConsoleSummary.pValue(Double.NaN, Double.NaN)).isEqualTo("-");
        assertThat(ConsoleSummary.pValue(0.0, Double.NaN)).isEqualTo("-");
    }
}
