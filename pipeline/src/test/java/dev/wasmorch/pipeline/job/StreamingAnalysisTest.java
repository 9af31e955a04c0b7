package dev.wasmorch.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.contract.lifecycle.NativeLine;
import dev.wasmorch.pipeline.join.ClassifierOptions;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.metadata.KubeClientFactory;
import dev.wasmorch.pipeline.metadata.PodSnapshotReader;
import dev.wasmorch.pipeline.metadata.PodWatchOptions;
import dev.wasmorch.pipeline.parse.ParserOptions;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import dev.wasmorch.pipeline.sink.postgres.TestDatabase;
import dev.wasmorch.pipeline.source.InputSpool;
import dev.wasmorch.pipeline.source.TailOptions;
import dev.wasmorch.pipeline.stats.window.Lateness;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job end to end on a local Flink cluster, the real PostgreSQL and fabric8's mock API
 * server in CRUD mode (standing in for the cluster): lines appended to growing (and rotated) log
 * files become rows classified by the live metadata, statistics follow, an incomplete pod times
 * out, the pods watched live are archived, and a job
 * cancelled and restored from its checkpoint reads the lines written meanwhile and counts every
 * line exactly once.
 */
@EnableKubernetesMockClient(crud = true)
class StreamingAnalysisTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-26T21:24:00Z");
    private long linesWritten;

    @Test
    void followsGrowingLogsIntoPostgresThroughRotationTimeoutsAndARestart() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("k3s.log");
        Path checkpoints = dir.resolve("checkpoints");
        try (TestDatabase db = TestDatabase.create("wasmorch_stream")) {
            pod("aes-w1", "wasmorch"); // metadata before the events
            JobClient job = start(db, logs, checkpoints, null, null, Duration.ofSeconds(2));

            lifecycle(log, "aes-w1", 0, 0.6);
            await(
                    db,
                    "SELECT count(*) FROM pod_lifecycles WHERE pod = 'aes-w1' AND complete AND runtime = 'wasm' "
                            + "AND function = 'aes' AND abs(scheduled_to_started - 0.6) < 1e-9");

            pod("aes-c1", null); // no runtime class: a container pod
            lifecycle(log, "aes-c1", 10, 1.7);
            await(
                    db,
                    "SELECT count(*) FROM pod_lifecycles WHERE pod = 'aes-c1' AND complete AND runtime = 'container' "
                            + "AND abs(scheduled_to_started - 1.7) < 1e-9");

            Files.move(log, logs.resolve("k3s.log.1")); // rotation by rename
            pod("aes-w2", "wasmorch");
            lifecycle(log, "aes-w2", 20, 0.8);
            await(db, "SELECT count(*) FROM pod_lifecycles WHERE pod = 'aes-w2' AND complete");

            pod("aes-x1", "wasmorch");
            append(log, line(T0.plusSeconds(30), "PodCreated", "aes-x1"));
            await(db, "SELECT count(*) FROM pod_lifecycles WHERE pod = 'aes-x1' AND NOT complete");
            await(
                    db,
                    "SELECT count(*) FROM summary_stats WHERE metric = 'scheduled_to_started' AND runtime = 'wasm' "
                            + "AND n = 2");
            awaitLinesRead(db);

            Path jobCheckpoints = checkpoints.resolve(job.getJobID().toString());
            awaitCheckpoint(jobCheckpoints);
            job.cancel().get();
            // Only after the cancel: a checkpoint picked before it may be subsumed by the next one.
            Path checkpoint = awaitCheckpoint(jobCheckpoints);

            // written while the job is down, read after the restore; nothing before it read again
            pod("aes-w3", "wasmorch");
            lifecycle(log, "aes-w3", 40, 0.7);
            JobClient restored = start(db, logs, checkpoints, checkpoint, null, Duration.ofSeconds(2));
            try {
                await(db, "SELECT count(*) FROM pod_lifecycles WHERE pod = 'aes-w3' AND complete");
                awaitLinesRead(db);
                await(
                        db,
                        "SELECT count(*) FROM summary_stats WHERE metric = 'scheduled_to_started' "
                                + "AND runtime = 'wasm' AND n = 3");
            } finally {
                restored.cancel().get();
            }
            assertThat(db.count("SELECT count(*) FROM pod_lifecycles")).isEqualTo(5);
            // every pod the watch saw live is archived for later batch runs
            assertThat(PodSnapshotReader.read(dir.resolve("pods-archive.jsonl")))
                    .extracting(p -> p.name())
                    .contains("aes-w1", "aes-c1", "aes-w2", "aes-x1", "aes-w3");
            assertThat(db.count("SELECT value FROM job_counters WHERE name = 'lines_read'"))
                    .isEqualTo(linesWritten);
        }
    }

    /**
     * The watch lags the logs (a busy API server, a relist after a disconnect): the events wait in
     * the join for their metadata. Metadata arriving within the completion timeout completes the pod
     * as usual; metadata arriving after it re-classifies the pod emitted as unclassified, and only
     * then do its samples reach the statistics, once.
     */
    @Test
    void metadataArrivingAfterTheEventsCompletesAndReclassifiesThePods() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("k3s.log");
        try (TestDatabase db = TestDatabase.create("wasmorch_stream_late")) {
            // Pods exist in the API but outside the watch's selector until they are relabelled, so
            // their UIDs (set by the server) are known to the log lines written first.
            pod("aes-w1", "wasmorch", "pending");
            pod("aes-w2", "wasmorch", "pending");
            JobClient job = start(db, logs, dir.resolve("checkpoints"), null, "app=aes", COMPLETION_TIMEOUT);
            try {
                lifecycle(log, "aes-w1", 0, 0.6);
                lifecycle(log, "aes-w2", 10, 0.9);
                awaitLinesRead(db);
                assertThat(db.count("SELECT count(*) FROM pod_lifecycles")).isZero(); // waiting for metadata

                relabel("aes-w1", "aes"); // within the completion timeout
                await(
                        db,
                        "SELECT count(*) FROM pod_lifecycles WHERE pod = 'aes-w1' AND complete AND runtime = 'wasm' "
                                + "AND function = 'aes'");

                // past the timeout: emitted without metadata (flagged, unclassified), no samples
                await(
                        db,
                        "SELECT count(*) FROM pod_lifecycles WHERE pod = 'aes-w2' AND runtime IS NULL "
                                + "AND flags LIKE '%metadata%'");
                await(
                        db,
                        "SELECT count(*) FROM summary_stats WHERE metric = 'scheduled_to_started' AND runtime = 'wasm' "
                                + "AND n = 1");

                relabel("aes-w2", "aes");
                await(
                        db,
                        "SELECT count(*) FROM pod_lifecycles WHERE pod = 'aes-w2' AND complete AND runtime = 'wasm' "
                                + "AND abs(scheduled_to_started - 0.9) < 1e-9 AND flags NOT LIKE '%metadata%'");
                await(
                        db,
                        "SELECT count(*) FROM summary_stats WHERE metric = 'scheduled_to_started' AND runtime = 'wasm' "
                                + "AND n = 2");
                assertThat(db.count("SELECT count(*) FROM pod_lifecycles")).isEqualTo(2);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** {@code journalctl -o ... -f | wasmorch stream --logs -}: standard input, spooled, reaches PostgreSQL. */
    @Test
    void linesFromAPipeReachPostgresThroughTheSpool() throws Exception {
        Path spool = dir.resolve("spool");
        PipedOutputStream stdin = new PipedOutputStream();
        PipedInputStream read = new PipedInputStream(stdin, 1 << 16);
        new InputSpool(() -> read, false, spool, "stdin", 1 << 20, 8).start();
        try (TestDatabase db = TestDatabase.create("wasmorch_stream_stdin")) {
            pod("aes-w1", "wasmorch");
            JobClient job = start(db, spool, dir.resolve("checkpoints"), null, null, Duration.ofSeconds(2));
            try {
                stdin.write((lifecycleLines("aes-w1", 0, 0.6) + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                await(
                        db,
                        "SELECT count(*) FROM pod_lifecycles WHERE pod = 'aes-w1' AND complete AND runtime = 'wasm' "
                                + "AND abs(scheduled_to_started - 0.6) < 1e-9");
            } finally {
                job.cancel().get();
                stdin.close();
            }
        }
    }

    /** Long enough that a loaded CI machine relabels the first pod before it times out. */
    private static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(6);

    private JobClient start(
            TestDatabase db, Path logs, Path checkpoints, Path restore, String selector, Duration completionTimeout)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (restore != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        String url = client.getConfiguration().getMasterUrl();
        KubeClientFactory mock = () -> new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(url)
                        .withTrustCerts(true)
                        .build())
                .build();
        StreamingAnalysis.build(
                env,
                new StreamingAnalysis.Settings(
                        TailOptions.of(List.of(logs.toString()))
                                .withIntervals(Duration.ofMillis(100), Duration.ofMillis(20), Duration.ofMillis(200)),
                        PodWatchOptions.of(
                                        "fn",
                                        selector,
                                        dir.resolve("pods-archive.jsonl").toString())
                                .withClients(mock),
                        null,
                        ParserOptions.defaults(),
                        JoinOptions.batch(ClassifierOptions.defaults(), true)
                                .asStreaming(completionTimeout, Duration.ofHours(1)),
                        Duration.ofMillis(500),
                        new Lateness(Duration.ofSeconds(1), Duration.ofMinutes(10)),
                        new PostgresOutput(
                                db.target(),
                                new PostgresOutput.Settings(
                                        "stream-test", 100, Duration.ofMillis(100), Duration.ofMinutes(1)))));
        return env.executeAsync("stream-test");
    }

    /** UIDs as the API server assigned them (the mock, like a real server, sets its own). */
    private final java.util.Map<String, String> uids = new java.util.HashMap<>();

    private void pod(String name, String runtimeClass) {
        pod(name, runtimeClass, "aes");
    }

    private void pod(String name, String runtimeClass, String app) {
        io.fabric8.kubernetes.api.model.Pod created = client.pods()
                .inNamespace("fn")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("fn")
                        .withName(name)
                        .withUid("uid-" + name)
                        .addToLabels("app", app)
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("agent-1")
                        .withRuntimeClassName(runtimeClass)
                        .addNewContainer()
                        .withName("aes")
                        .withImage("example/aes")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        uids.put(name, created.getMetadata().getUid());
    }

    private void relabel(String name, String app) {
        client.pods()
                .inNamespace("fn")
                .withName(name)
                .edit(p -> new PodBuilder(p)
                        .editMetadata()
                        .addToLabels("app", app)
                        .endMetadata()
                        .build());
    }

    private void lifecycle(Path log, String pod, int at, double startSeconds) throws Exception {
        append(log, lifecycleLines(pod, at, startSeconds));
    }

    private String lifecycleLines(String pod, int at, double startSeconds) {
        Instant created = T0.plusSeconds(at);
        Instant scheduled = created.plusMillis(100);
        return line(created, "PodCreated", pod) + "\n"
                + "unrelated noise the source skips but counts\n"
                + line(scheduled, "PodScheduled", pod) + "\n"
                + line(scheduled.plusNanos(Math.round(startSeconds * 1e9)), "ContainerStarted", pod);
    }

    private String line(Instant ts, String event, String pod) {
        return NativeLine.of(ts, event)
                .field("ns", "fn")
                .field("pod", pod)
                .field("uid", uids.get(pod))
                .field("node", "agent-1")
                .field("host", "agent-1")
                .field("component", "kubelet")
                .field("container", event.startsWith("Container") ? "aes" : null)
                .toString();
    }

    private void append(Path log, String lines) throws Exception {
        Files.writeString(
                log, lines + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        linesWritten += lines.split("\n").length;
    }

    private void awaitLinesRead(TestDatabase db) throws Exception {
        await(db, "SELECT count(*) FROM job_counters WHERE name = 'lines_read' AND value = " + linesWritten);
    }

    private void await(TestDatabase db, String countQuery) throws Exception {
        try {
            awaitTrue(() -> db.count(countQuery) > 0, countQuery);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "\npods: "
                            + db.rows("SELECT pod, complete, runtime, function, "
                                    + "scheduled_to_started, flags FROM pod_lifecycles")
                            + "\ncounters: "
                            + db.rows("SELECT name, value FROM job_counters") + "\narchive: "
                            + (Files.exists(dir.resolve("pods-archive.jsonl"))
                                    ? Files.readAllLines(dir.resolve("pods-archive.jsonl"))
                                                    .size() + " pods"
                                    : "none"),
                    e);
        }
    }

    private static Path awaitCheckpoint(Path jobDir) throws Exception {
        Callable<Optional<Path>> latest = () -> {
            if (!Files.isDirectory(jobDir)) {
                return Optional.empty();
            }
            try (Stream<Path> s = Files.list(jobDir)) {
                return s.filter(p -> p.getFileName().toString().startsWith("chk-"))
                        .filter(p -> Files.exists(p.resolve("_metadata")))
                        .max(Comparator.comparingInt(
                                p -> Integer.parseInt(p.getFileName().toString().substring(4))));
            }
        };
        awaitTrue(() -> latest.call().isPresent(), "a completed checkpoint in " + jobDir);
        return latest.call().orElseThrow();
    }

    private static void awaitTrue(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
