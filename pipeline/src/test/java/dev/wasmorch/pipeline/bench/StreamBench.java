package dev.wasmorch.pipeline.bench;

import dev.wasmorch.pipeline.join.ClassifierOptions;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.logformat.NativeLine;
import dev.wasmorch.pipeline.parse.ParserOptions;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import dev.wasmorch.pipeline.sink.postgres.TestDatabase;
import dev.wasmorch.pipeline.source.TailOptions;
import dev.wasmorch.pipeline.stream.StreamingAnalysis;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming benchmark (not a test): appends pod lifecycles (3 events each) to a log file at a
 * fixed rate for a while and measures the sustained event rate the job keeps up with and the
 * latency from a pod's ContainerStarted line being written to its row being visible in PostgreSQL
 * (the row's updated_at, set by the upsert). Run: see docs/benchmarks.md, "pipeline: streaming".
 * Arguments: events per second, seconds.
 */
public final class StreamBench {

    public static void main(String[] args) throws Exception {
        int eventsPerSecond = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int pods = eventsPerSecond * seconds / 3;
        Path dir = Files.createTempDirectory("wasmorch-bench");
        Path log = dir.resolve("k3s.log");
        Files.createFile(log);
        try (TestDatabase db = TestDatabase.create("wasmorch_bench")) {
            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            StreamingAnalysis.build(env, new StreamingAnalysis.Settings(
                    TailOptions.of(List.of(dir.toString())),
                    null, null, ParserOptions.defaults(),
                    JoinOptions.batch(ClassifierOptions.defaults(), false)
                            .asStreaming(Duration.ofMinutes(5), Duration.ofHours(1)),
                    Duration.ofSeconds(10),
                    new PostgresOutput(db.target(), PostgresOutput.Settings.defaults("bench"))));
            JobClient job = env.executeAsync("bench");
            Thread.sleep(5_000); // job start-up
            long[] writtenAtMs = new long[pods];
            Instant t0 = Instant.parse("2026-11-26T21:00:00Z");
            long start = System.nanoTime();
            System.err.printf("bench: %d pods (%d events) at %d events/s for %d s%n", pods, pods * 3,
                    eventsPerSecond, seconds);
            try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                int batch = Math.max(1, eventsPerSecond / 3 / 100); // 100 writes per second
                for (int i = 0; i < pods; i += batch) {
                    for (int k = i; k < Math.min(pods, i + batch); k++) {
                        Instant c = t0.plusMillis(k);
                        String pod = "p-" + k;
                        w.write(line(c, "PodCreated", pod));
                        w.write(line(c.plusMillis(100), "PodScheduled", pod));
                        w.write(line(c.plusMillis(900), "ContainerStarted", pod));
                    }
                    w.flush();
                    long now = System.currentTimeMillis();
                    for (int k = i; k < Math.min(pods, i + batch); k++) {
                        writtenAtMs[k] = now;
                    }
                    long due = start + (long) ((i + batch) * 3 * 1e9 / eventsPerSecond);
                    long sleep = due - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                    if ((i / batch) % 500 == 0) {
                        System.err.printf("bench: %d/%d pods written%n", i, pods);
                    }
                }
            }
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            long[] visibleAtMs = awaitRows(db, pods);
            double allVisibleSeconds = (Arrays.stream(visibleAtMs).max().getAsLong() - writtenAtMs[0]) / 1e3;
            job.cancel().get();
            double[] latency = new double[pods];
            for (int k = 0; k < pods; k++) {
                latency[k] = (visibleAtMs[k] - writtenAtMs[k]) / 1e3;
            }
            Arrays.sort(latency);
            System.out.printf("| target events/s | events | written in s | all rows visible after s | sustained events/s "
                    + "| latency p50 s | p99 s | max s |%n|---|---|---|---|---|---|---|---|%n");
            System.out.printf("| %d | %d | %.1f | %.1f | %.0f | %.3f | %.3f | %.3f |%n", eventsPerSecond, pods * 3,
                    writeSeconds, allVisibleSeconds, pods * 3 / allVisibleSeconds, latency[pods / 2],
                    latency[(int) Math.min(pods - 1, Math.ceil(pods * 0.99) - 1)], latency[pods - 1]);
        }
    }

    private static String line(Instant ts, String event, String pod) {
        return NativeLine.of(ts, event).field("ns", "bench").field("pod", pod).field("uid", "uid-" + pod)
                .field("node", "agent-1").field("host", "agent-1").field("component", "kubelet")
                .field("handler", "wasmorch").toString() + "\n";
    }

    /** Polls the table until every pod has a row; returns each row's updated_at in epoch ms. */
    private static long[] awaitRows(TestDatabase db, int pods) throws Exception {
        long[] visible = new long[pods];
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pod_lifecycles WHERE complete")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= pods) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
        }
        List<long[]> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT substr(pod, 3)::int, (extract(epoch FROM updated_at) * 1000)::bigint FROM pod_lifecycles")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new long[] {rs.getInt(1), rs.getLong(2)});
                }
            }
        }
        for (long[] r : rows) {
            visible[(int) r[0]] = r[1];
        }
        return visible;
    }
}
