package dev.wasmorch.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Origin;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.parse.ParseLogLines;
import dev.wasmorch.pipeline.parse.ParserOptions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** LogFileSource → ParseLogLines on a local Flink cluster, over a directory of mixed logs. */
class LogFileSourceMiniClusterTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dir;

    private static final String NOISE = "Nov 26 21:24:09 server-1 k3s[1234]: I1126 21:24:09.2    1234 trace.go:236]"
            + " Trace[1]: \"Update\" url:/api/v1/namespaces/default/pods total time: 1.1s";

    private static String nativeLine(String event, String pod, String time) {
        return "Nov 26 21:24:09 server-1 k3s[1234]: I1126 21:24:09.123456    1234 lifecycle.go:57] WASMORCH-LIFECYCLE/1"
                + " ts=2026-11-26T21:24:" + time + "Z event=" + event + " ns=default pod=" + pod
                + " host=server-1 component=kube-scheduler node=agent-1";
    }

    @Test
    void readsParsesAndCountsADirectoryOfLogs() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> server = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            server.add(i % 100 == 7 ? nativeLine("PodScheduled", "p-" + i, "09.123456") : NOISE);
        }
        server.add(nativeLine("PodExploded", "p-x", "09.123456"));
        Files.write(logs.resolve("server.log"), server, StandardCharsets.UTF_8);
        // Rotated and compressed kubelet log, no trailing newline, name starting with '_'.
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(logs.resolve("_agent.log.1.gz")))) {
            out.write(("noise\n" + "Nov 26 21:24:11 agent-1 k3s[877]: I1126 21:24:11.039751     877"
                            + " pod_startup_latency_tracker.go:104] \"Observed pod startup duration\" pod=\"default/p-7\""
                            + " podStartSLOduration=2.03 podCreationTimestamp=\"2026-11-26 21:24:09 +0000 UTC\""
                            + " observedRunningTime=\"2026-11-26 21:24:10.974209004 +0000 UTC m=+1450.781708380\"")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(
                logs.resolve("journal.json"),
                "{\"__REALTIME_TIMESTAMP\":\"1795814649124001\",\"_HOSTNAME\":\"server-1\",\"MESSAGE\":\"hello\"}\n"
                        + "{\"__REALTIME_TIMESTAMP\":\"1795814649124001\",\"_HOSTNAME\":\"server-1\",\"MESSAGE\":\"I1126"
                        + " 21:24:09.120877    1234 schedule_one.go:314] \\\"Successfully bound pod to node\\\""
                        + " pod=\\\"default/p-107\\\" node=\\\"agent-2\\\" evaluatedNodes=3 feasibleNodes=2\"}\n");

        List<Path> files = LogInputs.resolve(List.of(logs.toString()));
        assertThat(files).hasSize(3);
        ParserOptions options = new ParserOptions(null, ZoneOffset.UTC, 65536);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SingleOutputStreamOperator<LifecycleEvent> parsed = env.fromSource(
                        LogFileSource.bounded(files, options), WatermarkStrategy.noWatermarks(), "logs")
                .process(new ParseLogLines(options));
        CloseableIterator<LifecycleEvent> events = parsed.collectAsync();
        CloseableIterator<Reject> rejects =
                parsed.getSideOutput(ParseLogLines.REJECTS).collectAsync();
        CloseableIterator<Count> counts =
                parsed.getSideOutput(ParseLogLines.COUNTS).collectAsync();
        env.execute("read logs");

        List<LifecycleEvent> ev = drain(events);
        List<Reject> rj = drain(rejects);
        Map<String, Long> sums = drain(counts).stream()
                .collect(Collectors.groupingBy(Count::name, Collectors.summingLong(Count::delta)));

        assertThat(ev)
                .filteredOn(e -> e.origin() == Origin.NATIVE)
                .hasSize(30)
                .allSatisfy(e -> assertThat(e.file()).endsWith("server.log"));
        assertThat(ev)
                .filteredOn(e -> e.pod().equals("p-107") && e.origin() == Origin.SCHEDULER_LOG)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.node()).isEqualTo("agent-2");
                    assertThat(e.host()).isEqualTo("server-1");
                    assertThat(e.line()).isEqualTo(2);
                });
        assertThat(ev)
                .filteredOn(e -> e.origin() == Origin.KUBELET_STARTUP)
                .extracting(LifecycleEvent::phase)
                .containsExactlyInAnyOrder(Phase.CREATED, Phase.CONTAINER_STARTED);
        assertThat(rj).singleElement().satisfies(r -> {
            assertThat(r.file()).endsWith("server.log");
            assertThat(r.line()).isEqualTo(3001);
            assertThat(r.reason()).isEqualTo("unknown_event");
        });
        assertThat(sums)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "lines_read",
                        3001L + 2 + 2,
                        "lines_matched",
                        31L + 1 + 1,
                        "events",
                        33L,
                        "rejected:unknown_event",
                        1L));
    }

    private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
