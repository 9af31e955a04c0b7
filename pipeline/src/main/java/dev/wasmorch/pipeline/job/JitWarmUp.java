package dev.wasmorch.pipeline.job;

import dev.wasmorch.pipeline.demo.SyntheticPods;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.model.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * Runs the streaming graph once over synthetic pods before the real job starts, so that the JIT
 * has compiled the job's hot paths before the first real line arrives. Started cold at 50 000
 * events/s, the job fell behind for its first 15-30 s while C2 compiled on one of the machine's
 * two cores, and the lines of that time waited seconds for their rows (docs/benchmarks.md,
 * "pipeline: streaming").
 *
 * <p>The warm-up is the real graph: the same parser, join, statistics, state backend, serializers
 * and PostgreSQL sinks, in the same JVM (the embedded cluster's task threads run in it). Only the
 * ends differ: the lines are {@link SyntheticPods} generated in the job instead of read from
 * files, there is no pod metadata, and the rows go to temporary copies of the tables that
 * PostgreSQL drops with the warm-up's connections ({@link
 * dev.wasmorch.pipeline.sink.postgres.PostgresOutput#withTemporaryTables}), so nothing of it is
 * visible and a crash leaves nothing behind. It takes no checkpoints and restores nothing.
 */
public final class JitWarmUp {

    /** The warm-up's pods, in a namespace of their own (they are never written anywhere lasting). */
    static final String NAMESPACE = "wasmorch-warm-up";

    /** {@code wasmorch stream --jit-warm-up-pods}'s default. */
    public static final int DEFAULT_PODS = 30_000;

    private JitWarmUp() {}

    /**
     * Runs the warm-up job to its end and returns how long it took. The schema must be migrated
     * (the temporary copies are made from its tables), as {@link StreamingAnalysis#build} does.
     *
     * @param conf        the real job's configuration (checkpointing and restore are dropped)
     * @param parallelism the real job's parallelism
     * @param s           the real job's settings
     * @param pods        synthetic pods to run, each {@link SyntheticPods#EVENTS_PER_POD} lines
     */
    public static Duration run(Configuration conf, int parallelism, StreamingAnalysis.Settings s, int pods)
            throws Exception {
        if (pods < 1) {
            throw new IllegalArgumentException("the warm-up needs at least one pod, got " + pods);
        }
        Configuration warm = new Configuration(conf);
        warm.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        warm.removeConfig(StateRecoveryOptions.SAVEPOINT_PATH);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(warm);
        env.setParallelism(parallelism);
        StreamingAnalysis.configure(env);
        DataStream<RawLine> lines = env.fromSequence(0, pods - 1)
                .name("synthetic-pods")
                .flatMap(new PodLines(new SyntheticPods(NAMESPACE, Instant.now())))
                .name("synthetic-lines");
        // No metadata comes, so none may be waited for: every pod is emitted as it completes.
        JoinOptions withoutMetadata = s.join().withMetadataExpected(false);
        AnalyzePipeline.Outputs graph = AnalyzePipeline.build(
                lines,
                BoundedCollections.of(env, List.of(), PodMetadata.class, "no-pod-metadata"),
                BoundedCollections.of(env, List.of(), Sample.class, "no-samples"),
                s.parser(),
                withoutMetadata,
                s.statsEvery());
        Sinks.postgres(graph, s.output().withTemporaryTables(), s.lateness());
        long start = System.nanoTime();
        env.execute("wasmorch-jit-warm-up");
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * {@link #run}, except that a warm-up that fails (PostgreSQL refusing temporary tables, say) is
     * reported on {@code log} and otherwise ignored: the job then starts cold rather than not at
     * all. Returns how long the warm-up took, or empty when it failed.
     */
    public static Optional<Duration> runOrReport(
            Configuration conf, int parallelism, StreamingAnalysis.Settings s, int pods, PrintStream log) {
        try {
            return Optional.of(run(conf, parallelism, s, pods));
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause(); // Flink wraps the sink's error in its job failure
            }
            log.printf("wasmorch stream: the JIT warm-up failed (%s); starting cold%n", cause.getMessage());
            return Optional.empty();
        }
    }

    /** Pod k's lines, as the tailing source would emit them from a file of synthetic pods. */
    private static final class PodLines implements FlatMapFunction<Long, RawLine> {

        private static final String FILE = "synthetic-pods.log";

        private final SyntheticPods pods;

        PodLines(SyntheticPods pods) {
            this.pods = pods;
        }

        @Override
        public void flatMap(Long k, Collector<RawLine> out) {
            String text = pods.lines(k.intValue());
            long line = k * SyntheticPods.EVENTS_PER_POD;
            long modifiedMs = pods.start().toEpochMilli();
            for (int from = 0, to; from < text.length(); from = to + 1) {
                to = text.indexOf('\n', from);
                out.collect(RawLine.of(FILE, ++line, text.substring(from, to), modifiedMs));
            }
        }
    }
}
