package dev.wasmorch.pipeline.job;

import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.metadata.PodSnapshotReader;
import dev.wasmorch.pipeline.metadata.PodWatchOptions;
import dev.wasmorch.pipeline.metadata.PodWatchSource;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.parse.InterestFilter;
import dev.wasmorch.pipeline.parse.ParserOptions;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import dev.wasmorch.pipeline.source.InputException;
import dev.wasmorch.pipeline.source.TailOptions;
import dev.wasmorch.pipeline.source.TailingLogSource;
import dev.wasmorch.pipeline.stats.window.Lateness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The unbounded analysis: follows growing log files, takes pod metadata live from the API (or
 * from a snapshot), runs the same {@link AnalyzePipeline} as the batch job in STREAMING mode and
 * upserts everything into PostgreSQL continuously. Checkpoints make a restarted job continue where
 * it stopped: file offsets, join and statistics state are restored, and the keyed upserts absorb
 * the rows replayed since the last checkpoint.
 */
public final class StreamingAnalysis {

    /**
     * @param tail          the log files/directories to follow and how
     * @param kube          live metadata from the API, or {@code null}
     * @param podsFile      a metadata snapshot, or {@code null}
     * @param parser        parser settings (the batch job's)
     * @param join          join settings, streaming (completion timeout, state TTL)
     * @param statsEvery    how often statistics and comparisons are re-emitted
     * @param lateness      how late a pod may arrive for its minute window
     * @param output        where results go
     */
    public record Settings(
            TailOptions tail,
            PodWatchOptions kube,
            Path podsFile,
            ParserOptions parser,
            JoinOptions join,
            Duration statsEvery,
            Lateness lateness,
            PostgresOutput output) {

        public Settings {
            if (!join.streaming()) {
                throw new IllegalArgumentException("the streaming job needs streaming join options");
            }
            if (kube != null && podsFile != null) {
                throw new IllegalArgumentException(
                        "give either live metadata (--kube) or a snapshot (--pods), not both");
            }
        }
    }

    static final long BUFFER_TIMEOUT_MS = 20;

    private StreamingAnalysis() {}

    /** Adds the job to {@code env} (after migrating the schema); the caller executes it. */
    public static void build(StreamExecutionEnvironment env, Settings s) throws Exception {
        configure(env);
        s.output().migrate();
        DataStream<RawLine> lines = env.fromSource(
                        new TailingLogSource(s.tail(), InterestFilter::mayBeOfInterest),
                        WatermarkStrategy.noWatermarks(),
                        "tail-logs")
                .uid("tail-logs");
        AnalyzePipeline.Outputs graph = AnalyzePipeline.build(
                lines,
                pods(env, s),
                BoundedCollections.of(env, List.of(), Sample.class, "no-samples"),
                s.parser(),
                s.join(),
                s.statsEvery());
        Sinks.postgres(graph, s.output(), s.lateness());
    }

    /** The execution settings of the streaming job (also its warm-up's, {@link JitWarmUp}). */
    static void configure(StreamExecutionEnvironment env) {
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        // Every sink write is an idempotent upsert, so at-least-once is enough; and it never holds
        // the sparse metadata input back behind barrier alignment with the busy log input.
        env.getCheckpointConfig().setCheckpointingConsistencyMode(CheckpointingMode.AT_LEAST_ONCE);
        // Latency: a network buffer waits at most this long for more records (Flink's default is
        // 100 ms, spent again at every shuffle on the way from a log line to its row).
        env.setBufferTimeout(BUFFER_TIMEOUT_MS);
        // Every record type is an immutable record, so chained operators may share instances
        // instead of each getting a serialized copy.
        env.getConfig().enableObjectReuse();
    }

    private static DataStream<PodMetadata> pods(StreamExecutionEnvironment env, Settings s) throws InputException {
        if (s.kube() != null) {
            // One informer is enough and keeps the archive a single file.
            return env.fromSource(new PodWatchSource(s.kube()), WatermarkStrategy.noWatermarks(), "pod-watch")
                    .setParallelism(1)
                    .uid("pod-watch");
        }
        if (s.podsFile() != null) {
            List<PodMetadata> pods = PodSnapshotReader.read(s.podsFile());
            if (!pods.isEmpty()) {
                return env.fromData(pods, TypeInformation.of(PodMetadata.class)).name("pod-snapshot");
            }
        }
        return BoundedCollections.of(env, List.of(), PodMetadata.class, "no-pod-metadata");
    }
}
