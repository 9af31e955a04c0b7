package dev.wasmorch.pipeline.job;

import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.metadata.PodSnapshotFormat;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.parse.ParserOptions;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import dev.wasmorch.pipeline.source.LogFileSource;
import dev.wasmorch.pipeline.stats.window.Lateness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The bounded analysis: runs {@link AnalyzePipeline} in BATCH mode over files on the environment
 * the caller gives (a local MiniCluster from the CLI, the cluster's under {@code flink run}).
 */
public final class BatchAnalysis {

    /** The job's name, as Flink's web UI and logs show it. */
    public static final String JOB_NAME = "wasmorch analyze";

    private BatchAnalysis() {}

    /** Writes the files only. */
    public static JobExecutionResult run(
            StreamExecutionEnvironment env, AnalysisInputs in, ParserOptions parser, JoinOptions join, Path out)
            throws Exception {
        return run(env, in, parser, join, out, null);
    }

    /**
     * @param postgres the results tables to write too (schema migrated first), or {@code null}
     */
    public static JobExecutionResult run(
            StreamExecutionEnvironment env,
            AnalysisInputs in,
            ParserOptions parser,
            JoinOptions join,
            Path out,
            PostgresOutput postgres)
            throws Exception {
        build(env, in, parser, join, out, postgres);
        return env.execute(JOB_NAME);
    }

    /** Adds the analysis to {@code env} without running it. */
    public static void build(
            StreamExecutionEnvironment env,
            AnalysisInputs in,
            ParserOptions parser,
            JoinOptions join,
            Path out,
            PostgresOutput postgres)
            throws Exception {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);

        // Inputs that are empty get no source: each source is a task the scheduler deploys one by
        // one in BATCH mode, about a tenth of a second each, which dominates a small analysis.
        DataStream<RawLine> lines = in.logFiles().isEmpty()
                ? BoundedCollections.of(env, List.of(), RawLine.class, "no-logs")
                : env.fromSource(
                        LogFileSource.bounded(in.logFiles(), parser), WatermarkStrategy.noWatermarks(), "log-files");
        DataStream<PodMetadata> pods = in.podsSnapshot() == null
                ? BoundedCollections.of(env, in.pods(), PodMetadata.class, "pod-metadata")
                : BoundedCollections.unionWith(
                        env.fromSource(
                                PodSnapshotFormat.source(in.podsSnapshot()),
                                WatermarkStrategy.noWatermarks(),
                                "pod-snapshot"),
                        in.pods(),
                        PodMetadata.class,
                        "pod-metadata");
        DataStream<Sample> samples =
                in.samples().isEmpty() ? null : BoundedCollections.of(env, in.samples(), Sample.class, "csv-samples");

        AnalyzePipeline.Outputs graph = AnalyzePipeline.build(lines, pods, samples, parser, join, Duration.ZERO);
        AnalyzePipeline.Outputs withReaders = new AnalyzePipeline.Outputs(
                graph.lifecycles(),
                graph.samples(),
                graph.stats(),
                graph.comparisons(),
                BoundedCollections.unionWith(graph.rejects(), in.rejects(), Reject.class, "csv-rejects"),
                BoundedCollections.unionWith(graph.counts(), csvCounts(in), Count.class, "csv-counts"));
        Sinks.files(withReaders, out);
        if (postgres != null) {
            postgres.migrate();
            Sinks.postgres(withReaders, postgres, Lateness.defaults());
        }
    }

    /** The CSV readers' counters plus their samples, which enter the statistics beside the pods'. */
    private static List<Count> csvCounts(AnalysisInputs in) {
        List<Count> counts = new ArrayList<>(in.counts());
        if (!in.samples().isEmpty()) {
            counts.add(new Count("samples", in.samples().size()));
        }
        return counts;
    }
}
