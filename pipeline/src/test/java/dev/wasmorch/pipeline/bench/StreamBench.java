package dev.wasmorch.pipeline.bench;

import dev.wasmorch.pipeline.demo.SyntheticPods;
import dev.wasmorch.pipeline.job.JitWarmUp;
import dev.wasmorch.pipeline.job.StateBackend;
import dev.wasmorch.pipeline.job.StreamingAnalysis;
import dev.wasmorch.pipeline.job.TestStreamSettings;
import dev.wasmorch.pipeline.sink.postgres.TestDatabase;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming benchmark (not a test): appends pod lifecycles to a log file at a fixed rate for a
 * while and measures the sustained event rate the job keeps up with and the latency from a pod's
 * lines being written to its finished row (complete, with PodReady) being visible in PostgreSQL
 * (the row's updated_at, set by the upsert); the pods are {@link SyntheticPods}, UID {@code uid-k}. Run: see docs/benchmarks.md, "pipeline: streaming".
 * Arguments: events per second, seconds measured, seconds of warm-up before them (default 40:
 * written at the same rate, not measured, so the JIT has compiled the hot paths; 0 measures from
 * the first second), the state backend ({@code hashmap}, the default, or {@code rocksdb} with
 * incremental checkpoints, as {@code wasmorch stream --state-backend}), and the pods of the JIT
 * warm-up run before the job, as {@code wasmorch stream --jit-warm-up-pods} (default its
 * default; 0 starts the job cold).
 */
public final class StreamBench {

    private static final int EVENTS_PER_POD = SyntheticPods.EVENTS_PER_POD;
    private static final SyntheticPods PODS = new SyntheticPods("bench", Instant.parse("2026-11-26T21:00:00Z"));

    public static void main(String[] args) throws Exception {
        int eventsPerSecond = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int warmUpSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        StateBackend backend =
                args.length > 3 ? StateBackend.valueOf(args[3].toUpperCase(Locale.ROOT)) : StateBackend.HASHMAP;
        int jitWarmUpPods = args.length > 4 ? Integer.parseInt(args[4]) : JitWarmUp.DEFAULT_PODS;
        int warmPods = eventsPerSecond * warmUpSeconds / EVENTS_PER_POD;
        int pods = warmPods + eventsPerSecond * seconds / EVENTS_PER_POD;
        Path dir = Files.createTempDirectory("wasmorch-bench");
        Path log = dir.resolve("k3s.log");
        Files.createFile(log);
        Path staged = Files.createTempFile("wasmorch-bench-lines", ".log");
        try (TestDatabase db = TestDatabase.create("wasmorch_bench")) {
            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
            // As `wasmorch stream --checkpoint-dir`: the JobManager's memory holds at most 5 MiB of state.
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    dir.resolve("checkpoints").toUri().toString());
            backend.configure(conf);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            StreamingAnalysis.Settings settings = TestStreamSettings.following(dir, db.target(), false, "bench");
            StreamingAnalysis.build(env, settings);
            // The lines are formatted before the clock starts, into a staging file outside the tailed
            // directory: the writer stands for K3s, and neither its formatting nor the lines held in
            // its heap (5.4 GB for 10 minutes at 50 000 events/s) may take the job's CPU or memory.
            // During the run each write is a file-to-file copy by the kernel.
            int batch = Math.max(1, eventsPerSecond / EVENTS_PER_POD / 100); // 100 writes per second
            long[] offsets = stage(staged, pods, batch);
            if (jitWarmUpPods > 0) { // as wasmorch stream does before its job
                System.err.printf(
                        "bench: JIT warm-up with %d synthetic pods took %.1f s%n",
                        jitWarmUpPods,
                        JitWarmUp.run(conf, 2, settings, jitWarmUpPods).toMillis() / 1e3);
            }
            JobClient job = env.executeAsync("bench");
            Thread.sleep(5_000); // job start-up
            long[] writtenAtMs = new long[pods];
            long start = System.nanoTime();
            long measuredFrom = start;
            System.err.printf(
                    "bench: %d pods (%d events) at %d events/s for %d s after %d s of warm-up, state backend %s%n",
                    pods - warmPods,
                    (pods - warmPods) * EVENTS_PER_POD,
                    eventsPerSecond,
                    seconds,
                    warmUpSeconds,
                    backend);
            try (FileChannel from = FileChannel.open(staged);
                    FileChannel to = FileChannel.open(log, StandardOpenOption.WRITE)) {
                for (int b = 0, i = 0; i < pods; b++, i += batch) {
                    copy(from, offsets[b], offsets[b + 1], to);
                    long now = System.currentTimeMillis();
                    Arrays.fill(writtenAtMs, i, Math.min(pods, i + batch), now);
                    if (i <= warmPods && warmPods < i + batch) {
                        measuredFrom = System.nanoTime();
                    }
                    long due = start + (long) ((i + batch) * EVENTS_PER_POD * 1e9 / eventsPerSecond);
                    long sleep = due - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
            }
            double writeSeconds = (System.nanoTime() - measuredFrom) / 1e9;
            long[] visibleAtMs = awaitRows(db, pods);
            job.cancel().get();
            awaitTermination(job);
            int n = pods - warmPods;
            double allVisibleSeconds =
                    (Arrays.stream(visibleAtMs, warmPods, pods).max().getAsLong() - writtenAtMs[warmPods]) / 1e3;
            double[] latency = new double[n];
            long[] written = Arrays.copyOfRange(writtenAtMs, warmPods, pods);
            int missing = 0;
            for (int k = 0; k < n; k++) {
                // A pod without its row by the deadline has no latency to measure: it counts as
                // infinitely late, so it lands above every percentile it can affect.
                boolean visible = visibleAtMs[warmPods + k] != 0;
                latency[k] = visible ? (visibleAtMs[warmPods + k] - written[k]) / 1e3 : Double.POSITIVE_INFINITY;
                missing += visible ? 0 : 1;
            }
            if (missing > 0) {
                System.out.printf(
                        "bench: %d of %d pods had no finished row 10 minutes after the last write (latency: Infinity)%n",
                        missing, n);
            }
            printWorstPerSecond(latency, written);
            printPerMinute(latency, written);
            Arrays.sort(latency);
            System.out.printf(
                    "| target events/s | events | written in s | all rows visible after s | sustained events/s "
                            + "| latency p50 s | p99 s | max s |%n|---|---|---|---|---|---|---|---|%n");
            System.out.printf(
                    "| %d | %d | %.1f | %.1f | %.0f | %.3f | %.3f | %.3f |%n",
                    eventsPerSecond,
                    n * EVENTS_PER_POD,
                    writeSeconds,
                    allVisibleSeconds,
                    (double) n * EVENTS_PER_POD / allVisibleSeconds,
                    median(latency),
                    p99(latency),
                    latency[n - 1]);
        } finally {
            Files.deleteIfExists(staged);
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The worst latency of the pods written in each second of the run (stderr), to see stalls. */
    private static void printWorstPerSecond(double[] latency, long[] writtenAtMs) {
        StringBuilder sb = new StringBuilder("bench: worst latency per second written:");
        int second = -1;
        double worst = 0;
        for (int k = 0; k <= latency.length; k++) {
            int s = k < latency.length ? (int) ((writtenAtMs[k] - writtenAtMs[0]) / 1000) : Integer.MAX_VALUE;
            if (s != second) {
                if (second >= 0) {
                    sb.append(String.format(" %d:%.2f", second, worst));
                }
                second = s;
                worst = 0;
            }
            if (k < latency.length) {
                worst = Math.max(worst, latency[k]); // Infinity: no row by the deadline
            }
        }
        System.err.println(sb);
    }

    /**
     * p50 and p99 of the pods written in each minute of the measured run (stdout), so the first
     * minute and the later ones, whose checkpoints are larger, show apart.
     */
    private static void printPerMinute(double[] latency, long[] writtenAtMs) {
        System.out.printf("| minute written | pods | latency p50 s | p99 s | max s |%n|---|---|---|---|---|%n");
        int from = 0;
        while (from < latency.length) {
            int minute = (int) ((writtenAtMs[from] - writtenAtMs[0]) / 60_000);
            int to = from;
            while (to < latency.length && (writtenAtMs[to] - writtenAtMs[0]) / 60_000 == minute) {
                to++;
            }
            double[] m = Arrays.copyOfRange(latency, from, to);
            Arrays.sort(m);
            System.out.printf(
                    "| %d | %d | %.3f | %.3f | %.3f |%n", minute + 1, m.length, median(m), p99(m), m[m.length - 1]);
            from = to;
        }
    }

    /**
     * Writes the lines of every pod to {@code staged}, {@code batch} pods per write, and returns
     * where each write starts (one more offset than writes: the last is the file's end).
     */
    private static long[] stage(Path staged, int pods, int batch) throws IOException {
        long[] offsets = new long[(pods + batch - 1) / batch + 1];
        try (FileChannel file = FileChannel.open(staged, StandardOpenOption.WRITE);
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(file), 1 << 20)) {
            long written = 0;
            for (int b = 0, i = 0; i < pods; b++, i += batch) {
                offsets[b] = written;
                StringBuilder sb = new StringBuilder();
                for (int k = i; k < Math.min(pods, i + batch); k++) {
                    sb.append(PODS.lines(k));
                }
                byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
                out.write(bytes);
                written += bytes.length;
            }
            offsets[offsets.length - 1] = written;
            out.flush();
            file.force(false); // the kernel's write-back of gigabytes would otherwise run during the run
        }
        return offsets;
    }

    /** Appends bytes [from, to) of the staged lines to the log: one write, as a logger's flush. */
    private static void copy(FileChannel staged, long from, long to, FileChannel log) throws IOException {
        for (long at = from; at < to; ) {
            at += staged.transferTo(at, to - at, log);
        }
    }

    /** The middle value of sorted values (the upper one of an even count), as the summary row has always used. */
    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    /** The nearest-rank 99th percentile of sorted values. */
    private static double p99(double[] sorted) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
    }

    /** Waits until the cancelled job has stopped, so its sinks are closed before the database is dropped. */
    private static void awaitTermination(JobClient job) throws InterruptedException {
        try {
            job.getJobExecutionResult().get();
        } catch (ExecutionException cancelled) {
            // the expected outcome of a cancelled job
        }
    }

    /** Polls the table until every pod has a row; returns each row's updated_at in epoch ms. */
    private static long[] awaitRows(TestDatabase db, int pods) throws Exception {
        long[] visible = new long[pods];
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM pod_lifecycles WHERE complete AND ready IS NOT NULL")) {
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
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT substr(uid, 5)::int, (extract(epoch FROM updated_at) * 1000)::bigint FROM pod_lifecycles")) {
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
