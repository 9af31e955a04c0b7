package dev.wasmorch.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.wasmorch.contract.lifecycle.NativeLine;
import dev.wasmorch.pipeline.join.ClassifierOptions;
import dev.wasmorch.pipeline.join.ClassifyRule;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.parse.ParserOptions;
import dev.wasmorch.pipeline.report.ReportWriter;
import dev.wasmorch.pipeline.results.ComparisonsFile;
import dev.wasmorch.pipeline.results.PodsFile;
import dev.wasmorch.pipeline.results.RejectsFile;
import dev.wasmorch.pipeline.results.SamplesFile;
import dev.wasmorch.pipeline.results.StatsFile;
import dev.wasmorch.pipeline.results.SummaryFile;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import dev.wasmorch.pipeline.sink.postgres.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole bounded job on a MiniCluster: files in, every output file checked. */
class BatchAnalysisTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Instant T0 = Instant.parse("2026-11-26T21:24:09Z");

    @TempDir
    Path dir;

    @Test
    void writesTheSameResultsToPostgresqlWhenAsked() throws Exception {
        try (TestDatabase db = TestDatabase.create("batch")) {
            AnalysisInputs in = fixture();
            BatchAnalysis.run(
                    StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2),
                    in,
                    ParserOptions.defaults(),
                    JoinOptions.batch(ClassifierOptions.defaults(), true),
                    dir.resolve("out"),
                    new PostgresOutput(db.target(), PostgresOutput.Settings.defaults("batch-test")));

            assertThat(db.count("SELECT count(*) FROM pod_lifecycles")).isEqualTo(5);
            assertThat(db.count("SELECT count(*) FROM pod_lifecycles WHERE complete"))
                    .isEqualTo(4);
            assertThat(db.count("SELECT count(*) FROM summary_stats WHERE metric = 'scheduled_to_started'"))
                    .isEqualTo(2);
            assertThat(db.count("SELECT count(*) FROM comparisons WHERE metric = 'scheduled_to_started'"))
                    .isEqualTo(1);
            assertThat(db.count("SELECT value FROM job_counters WHERE job = 'batch-test' AND name = 'pods_complete'"))
                    .isEqualTo(4);
        }
    }

    @Test
    void analyzesLogsOfTwoNodesWithMetadataIntoEveryOutput() throws Exception {
        AnalysisInputs in = fixture();
        List<String> server = Files.readAllLines(in.logFiles().get(0));
        Path out = analyzeOnTwoSlots(in);

        List<Map<String, String>> allPods = csv(out.resolve(PodsFile.NAME));
        assertThat(allPods).hasSize(5);
        Map<String, String> stray = allPods.stream()
                .filter(r -> r.get("pod").equals("x"))
                .findFirst()
                .orElseThrow();
        assertThat(stray.get("complete")).isEqualTo("false");
        assertThat(stray.get("flags")).contains("incomplete", "no_metadata", "unclassified");
        List<Map<String, String>> podRows =
                allPods.stream().filter(r -> !r.get("pod").equals("x")).toList();
        assertThat(podRows).hasSize(4).allSatisfy(r -> {
            assertThat(r.get("complete")).isEqualTo("true");
            assertThat(r.get("flags")).isEmpty();
            assertThat(r.get("function")).isEqualTo("aes");
        });
        Map<String, String> w1 = podRows.stream()
                .filter(r -> r.get("uid").equals("w1"))
                .findFirst()
                .orElseThrow();
        assertThat(w1.get("runtime")).isEqualTo("wasm");
        assertThat(w1.get("scheduled_to_started")).isEqualTo("0.800000");
        assertThat(w1.get("created")).isEqualTo("2026-11-26T21:24:09.000000Z");

        Map<String, String> wasm = row(csv(out.resolve(StatsFile.NAME)), "wasm", "scheduled_to_started");
        assertThat(wasm.get("n")).isEqualTo("2");
        assertThat(Double.parseDouble(wasm.get("mean"))).isCloseTo(0.82, within(1e-9));
        // sample SD of {0.80, 0.84} = 0.02 * sqrt(2) = 0.028284...
        assertThat(Double.parseDouble(wasm.get("sd"))).isCloseTo(0.0282842712, within(1e-9));
        Map<String, String> cmp = csv(out.resolve(ComparisonsFile.NAME)).stream()
                .filter(r -> r.get("metric").equals("scheduled_to_started"))
                .findFirst()
                .orElseThrow();
        assertThat(Double.parseDouble(cmp.get("speedup"))).isCloseTo(1.72 / 0.82, within(1e-9));
        assertThat(cmp.get("u")).isEqualTo("0.0"); // every WASM start is faster than every container start
        // exact two-sided p for n1 = n2 = 2, U = 0: 2 * 1/C(4,2) = 1/3
        assertThat(Double.parseDouble(cmp.get("p_value"))).isCloseTo(1.0 / 3, within(1e-12));

        assertThat(csv(out.resolve(SamplesFile.NAME)))
                .anySatisfy(r -> assertThat(r.get("metric")).isEqualTo("response_time"));
        List<Map<String, String>> rejects = csv(out.resolve(RejectsFile.NAME));
        assertThat(rejects).extracting(r -> r.get("reason")).contains("unknown_event", "bad_number");
        assertThat(rejects).anySatisfy(r -> {
            assertThat(r.get("file")).endsWith("server.log");
            assertThat(r.get("line")).isEqualTo(Integer.toString(server.size()));
        });

        JsonNode summary =
                new ObjectMapper().readTree(out.resolve(SummaryFile.NAME).toFile());
        assertThat(summary.get("lines_read").asLong())
                .isEqualTo(
                        server.size() + Files.readAllLines(in.logFiles().get(1)).size());
        assertThat(summary.get("pods_complete").asLong()).isEqualTo(4);
        assertThat(summary.get("pods_incomplete").asLong()).isEqualTo(1); // pod "x" of the valid stray line
        assertThat(summary.get("responses_non2xx").asLong()).isEqualTo(3);
        assertThat(summary.get("rejected").get("unknown_event").asLong()).isEqualTo(1);
        assertThat(summary.get("samples").asLong()).isEqualTo(4 * 6 + 1);
    }

    @Test
    void aFlippedDigitInAYearDoesNotEndTheRun() throws Exception {
        AnalysisInputs in = fixture();
        Path serverLog = in.logFiles().get(0);
        List<String> server = new ArrayList<>(Files.readAllLines(serverLog));
        // Before the fix: ArithmeticException (long overflow) in PodLifecycle.seconds ended the analysis.
        server.add(klog(line(Instant.parse("9026-11-26T21:24:09Z"), "PodCreated", "far", "far-1", "server", "c")));
        server.add(klog(line(Instant.parse("0001-11-26T21:24:09Z"), "PodScheduled", "far", "far-1", "server", "c")));
        Files.write(serverLog, server);
        Path out = analyzeOnTwoSlots(in);

        List<Map<String, String>> pods = csv(out.resolve(PodsFile.NAME));
        Map<String, String> far = pods.stream()
                .filter(r -> r.get("uid").equals("far"))
                .findFirst()
                .orElseThrow();
        assertThat(far.get("flags")).contains("interval:created_to_scheduled");
        Map<String, String> wasm = row(csv(out.resolve(StatsFile.NAME)), "wasm", "scheduled_to_started");
        assertThat(wasm.get("n")).isEqualTo("2");
        assertThat(Double.parseDouble(wasm.get("mean"))).isCloseTo(0.82, within(1e-9));
    }

    @Test
    void aTruncatedArchiveAmongGoodFilesKeepsItsReadableLinesAndNamesTheFile() throws Exception {
        AnalysisInputs good = fixture();
        // An archive of 3 000 complete lines, cut in its last third: its head is readable.
        StringBuilder old = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            old.append(klog(line(T0.minusSeconds(3600 - i), "PodCreated", "old-" + i, "old-" + i, "server", "c")))
                    .append('\n');
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(old.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = bytes.toByteArray();
        Path truncated = Files.write(dir.resolve("server.log.1.gz"), Arrays.copyOf(whole, whole.length * 2 / 3));
        Path empty = Files.write(dir.resolve("server.log.2.gz"), new byte[0]);
        AnalysisInputs in = withMoreLogs(good, List.of(truncated, empty));

        // Before the fix: "Unexpected end of ZLIB input stream", naming no file, ended the whole run.
        Path out = analyzeOnTwoSlots(in);

        List<Map<String, String>> damaged = csv(out.resolve(RejectsFile.NAME)).stream()
                .filter(r -> r.get("reason").equals("damaged_file"))
                .toList();
        assertThat(damaged).hasSize(2);
        assertThat(damaged).anySatisfy(r -> {
            assertThat(r.get("file")).endsWith("server.log.1.gz");
            assertThat(r.get("detail")).contains("unreadable after line");
            assertThat(Long.parseLong(r.get("line"))).isBetween(2L, 3000L);
        });
        assertThat(damaged).anySatisfy(r -> {
            assertThat(r.get("file")).endsWith("server.log.2.gz");
            assertThat(r.get("detail")).contains("cannot be opened");
        });
        long readable = csv(out.resolve(PodsFile.NAME)).stream()
                .filter(r -> r.get("uid").startsWith("old-"))
                .count();
        JsonNode summary =
                new ObjectMapper().readTree(out.resolve(SummaryFile.NAME).toFile());
        assertThat(readable)
                .as("the archive's complete lines before the damage")
                .isPositive()
                .isLessThan(3000);
        assertThat(summary.get("rejected").get("damaged_file").asLong()).isEqualTo(2);
        Map<String, String> wasm = row(csv(out.resolve(StatsFile.NAME)), "wasm", "scheduled_to_started");
        assertThat(wasm.get("n")).as("the good files' results are unchanged").isEqualTo("2");
        assertThat(Double.parseDouble(wasm.get("mean"))).isCloseTo(0.82, within(1e-9));
    }

    @Test
    void everyPastCrasherTogetherWithGoodFilesEndsWithEveryOutputWritten() throws Exception {
        AnalysisInputs good = fixture();
        List<Path> crashers;
        try (Stream<Path> s =
                Files.list(Path.of(getClass().getResource("/fuzz/crashers").toURI()))) {
            crashers = s.filter(p -> p.toString().contains(".log")).sorted().toList();
        }
        AnalysisInputs in = withMoreLogs(good, crashers);

        Path out = analyzeOnTwoSlots(in);

        List<Map<String, String>> rejects = csv(out.resolve(RejectsFile.NAME));
        JsonNode summary =
                new ObjectMapper().readTree(out.resolve(SummaryFile.NAME).toFile());
        // the fixture hands in one CSV reject without the counter a CSV reader would add
        assertThat(summary.get("rejected_total").asLong())
                .isEqualTo(rejects.size() - good.rejects().size());
        assertThat(rejects).extracting(r -> r.get("reason")).contains("damaged_file", "invalid_utf8", "bad_quoting");
        List<Map<String, String>> pods = csv(out.resolve(PodsFile.NAME));
        assertThat(pods).extracting(r -> r.get("uid")).contains("far", "sur1", "formula1", "nul1", "bytes3", "gz0");
        assertThat(pods).extracting(r -> r.get("pod")).contains("'=1+2", "nul\\u0000name", "lone\\ud800x", "café");
        Map<String, String> wasm = row(csv(out.resolve(StatsFile.NAME)), "wasm", "scheduled_to_started");
        assertThat(wasm.get("n")).as("the good files' results are unchanged").isEqualTo("2");
        assertThat(Double.parseDouble(wasm.get("mean"))).isCloseTo(0.82, within(1e-9));
    }

    private static AnalysisInputs withMoreLogs(AnalysisInputs in, List<Path> more) {
        List<Path> logs = new ArrayList<>(in.logFiles());
        logs.addAll(more);
        return new AnalysisInputs(
                logs, in.pods(), in.podsSnapshot(), in.metadataGiven(), in.samples(), in.counts(), in.rejects());
    }

    private Path analyzeOnTwoSlots(AnalysisInputs in) throws Exception {
        Path out = dir.resolve("out");
        BatchAnalysis.run(
                StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2),
                in,
                ParserOptions.defaults(),
                JoinOptions.batch(ClassifierOptions.defaults(), true),
                out);
        return out;
    }

    /** Two WASM and two container pods of one function on a server and an agent, plus bad lines and CSV input. */
    private AnalysisInputs fixture() throws IOException {
        List<String> server = new ArrayList<>();
        List<String> agent = new ArrayList<>();
        pod(server, agent, "w1", "aes-wasm-7d9c5b8f6-aaaaa", 0.0, 0.80);
        pod(server, agent, "w2", "aes-wasm-7d9c5b8f6-bbbbb", 10.0, 0.84);
        pod(server, agent, "c1", "aes-cont-5c8d7f9b4-ccccc", 20.0, 1.70);
        pod(server, agent, "c2", "aes-cont-5c8d7f9b4-ddddd", 30.0, 1.74);
        server.add("I1126 21:25:00.000000    4242 controller.go:12] leader election renewed"); // noise
        server.add(klog(NativeLine.MARKER
                + " ts=2026-11-26T21:25:00.100000Z event=PodCreated ns=fn pod=x host=server component=c"));
        server.add(klog(NativeLine.MARKER
                + " ts=2026-11-26T21:25:00.100000Z event=PodExploded ns=fn pod=x host=server component=c"));
        Path serverLog = Files.write(dir.resolve("server.log"), server);
        Path agentLog = Files.write(dir.resolve("agent-1.log"), agent);
        Path pods = Files.writeString(dir.resolve("pods.json"), """
                {"kind":"List","items":[
                 %s, %s, %s, %s]}""".formatted(
                podJson("w1", "aes-wasm-7d9c5b8f6-aaaaa", "spin"), podJson("w2", "aes-wasm-7d9c5b8f6-bbbbb", "spin"),
                podJson("c1", "aes-cont-5c8d7f9b4-ccccc", null), podJson("c2", "aes-cont-5c8d7f9b4-ddddd", null)));

        AnalysisInputs in = new AnalysisInputs(
                List.of(serverLog, agentLog),
                List.of(),
                pods,
                true,
                List.of(new Sample("serial", "aes", Runtime.WASM, "response_time", 0.05)),
                List.of(new Count("responses_non2xx", 3)),
                List.of(new Reject("hey.csv", 7, "bad_number", "column response-time", "abc")));
        return in;
    }

    @Test
    void rulesClassifyLogsWithoutMetadataAndEachRuleIsCounted() throws Exception {
        AnalysisInputs withMetadata = fixture();
        AnalysisInputs in =
                new AnalysisInputs(withMetadata.logFiles(), List.of(), null, false, List.of(), List.of(), List.of());
        Path out = dir.resolve("out");
        ClassifierOptions rules = ClassifierOptions.defaults()
                .withRules(
                        List.of(ClassifyRule.parse("wasm:name~-wasm-"), ClassifyRule.parse("container:name~-cont-")));

        BatchAnalysis.run(
                StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2),
                in,
                ParserOptions.defaults(),
                JoinOptions.batch(rules, false),
                out);
        ReportWriter.write(out);

        List<Map<String, String>> pods = csv(out.resolve(PodsFile.NAME));
        assertThat(pods)
                .filteredOn(r -> r.get("pod").contains("-wasm-"))
                .hasSize(2)
                .allSatisfy(r -> {
                    assertThat(r.get("runtime")).isEqualTo("wasm");
                    assertThat(r.get("flags")).isEqualTo("classified_by:wasm:name~-wasm-");
                });
        assertThat(pods)
                .filteredOn(r -> r.get("pod").contains("-cont-"))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.get("runtime")).isEqualTo("container"));
        assertThat(pods)
                .filteredOn(r -> r.get("pod").equals("x"))
                .singleElement()
                .satisfies(r -> assertThat(r.get("flags")).contains("unclassified"));
        JsonNode summary =
                new ObjectMapper().readTree(out.resolve(SummaryFile.NAME).toFile());
        assertThat(summary.get("classified_by:wasm:name~-wasm-").asLong()).isEqualTo(2);
        assertThat(summary.get("classified_by:container:name~-cont-").asLong()).isEqualTo(2);
        assertThat(summary.get("pods_unclassified").asLong()).isEqualTo(1);
        // Without metadata the function comes from the pod name; "aaaaa" is not a Kubernetes hash, "bbbbb" is.
        assertThat(csv(out.resolve(StatsFile.NAME)))
                .filteredOn(r -> r.get("metric").equals("scheduled_to_started"))
                .extracting(r -> r.get("runtime") + " " + r.get("function") + " " + r.get("n"))
                .as("rule-classified pods enter the statistics")
                .containsExactlyInAnyOrder(
                        "wasm aes-wasm-7d9c5b8f6-aaaaa 1", "wasm aes-wasm 1", "container aes-cont 2");
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report)
                .contains("<b class=\"pods-unclassified\">1</b> pods unclassified")
                .contains("<td>wasm:name~-wasm-</td>")
                .contains("<td>container:name~-cont-</td>");
    }

    @Test
    void runsWithoutLogsOnSamplesAlone() throws Exception {
        List<Sample> samples = List.of(
                new Sample("serial", "aes", Runtime.WASM, "response_time", 0.06),
                new Sample("serial", "aes", Runtime.WASM, "response_time", 0.07),
                new Sample("serial", "aes", Runtime.CONTAINER, "response_time", 0.09));
        Path out = dir.resolve("out");
        BatchAnalysis.run(
                StreamExecutionEnvironment.getExecutionEnvironment(),
                new AnalysisInputs(List.of(), List.of(), null, false, samples, List.of(), List.of()),
                ParserOptions.defaults(),
                JoinOptions.batch(ClassifierOptions.defaults(), false),
                out);

        assertThat(csv(out.resolve(StatsFile.NAME))).hasSize(2);
        assertThat(csv(out.resolve(PodsFile.NAME))).isEmpty();
        assertThat(csv(out.resolve(ComparisonsFile.NAME))).hasSize(1);
    }

    private static void pod(List<String> server, List<String> agent, String uid, String name, double t, double start) {
        Instant created = T0.plusMillis(Math.round(t * 1000));
        Instant scheduled = created.plusMillis(10);
        server.add(klog(line(created, "PodCreated", uid, name, "server", "kube-apiserver")));
        server.add(klog(line(scheduled, "PodScheduled", uid, name, "server", "kube-scheduler")));
        agent.add(klog(line(scheduled.plusMillis(30), "PodSeen", uid, name, "agent-1", "kubelet")));
        agent.add(klog(NativeLine.of(scheduled.plusNanos(Math.round(start * 1e9)), "ContainerStarted")
                .field("ns", "fn")
                .field("pod", name)
                .field("uid", uid)
                .field("node", "agent-1")
                .field("host", "agent-1")
                .field("component", "kubelet")
                .field("container", "aes")
                .toString()));
        agent.add(klog(line(
                scheduled.plusNanos(Math.round((start + 0.05) * 1e9)), "PodReady", uid, name, "agent-1", "kubelet")));
    }

    private static String line(Instant ts, String event, String uid, String name, String host, String component) {
        return NativeLine.of(ts, event)
                .field("ns", "fn")
                .field("pod", name)
                .field("uid", uid)
                .field("node", "agent-1")
                .field("host", host)
                .field("component", component)
                .toString();
    }

    private static String klog(String message) {
        return "I1126 21:24:09.000000    1234 lifecycle.go:57] " + message;
    }

    private static String podJson(String uid, String name, String runtimeClass) {
        return """
                {"metadata":{"name":"%s","namespace":"fn","uid":"%s","creationTimestamp":"2026-11-26T21:24:09Z",
                 "labels":{"app":"aes"}},"spec":{"nodeName":"agent-1"%s,"containers":[{"name":"aes","image":"x"}]}}""".formatted(name, uid, runtimeClass == null ? "" : ",\"runtimeClassName\":\"" + runtimeClass + "\"");
    }

    private static Map<String, String> row(List<Map<String, String>> rows, String runtime, String metric) {
        return rows.stream()
                .filter(r -> r.get("runtime").equals(runtime) && r.get("metric").equals(metric))
                .findFirst()
                .orElseThrow();
    }

    static List<Map<String, String>> csv(Path file) throws IOException {
        try (MappingIterator<Map<String, String>> it = new CsvMapper()
                .readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(file.toFile())) {
            return it.readAll();
        }
    }
}
