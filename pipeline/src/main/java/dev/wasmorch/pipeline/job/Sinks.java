package dev.wasmorch.pipeline.job;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.sink.CsvFileSink;
import dev.wasmorch.pipeline.sink.OutputRows;
import dev.wasmorch.pipeline.sink.SummarySink;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import dev.wasmorch.pipeline.stats.window.Lateness;
import dev.wasmorch.pipeline.stats.window.MinuteWindows;
import java.nio.file.Path;

/** Attaches the outputs of pipeline/README.md ("Outputs") to an analysis graph. */
public final class Sinks {

    public static final String STATS = "stats.csv";
    public static final String COMPARISONS = "comparisons.csv";
    public static final String PODS = "pods.csv";
    public static final String SAMPLES = "samples.csv";
    public static final String REJECTS = "rejects.csv";
    public static final String SUMMARY = "summary.json";

    private Sinks() {}

    /** The result files in {@code out}. */
    public static void files(AnalyzePipeline.Outputs o, Path out) {
        o.stats()
                .sinkTo(new CsvFileSink<>(out.resolve(STATS), OutputRows.STATS_HEADER, OutputRows::stats, true))
                .setParallelism(1)
                .name(STATS);
        o.comparisons()
                .sinkTo(new CsvFileSink<>(
                        out.resolve(COMPARISONS), OutputRows.COMPARISONS_HEADER, OutputRows::comparison, true))
                .setParallelism(1)
                .name(COMPARISONS);
        o.lifecycles()
                .sinkTo(new CsvFileSink<>(out.resolve(PODS), OutputRows.PODS_HEADER, OutputRows::pod, false))
                .setParallelism(1)
                .name(PODS);
        o.samples()
                .sinkTo(new CsvFileSink<>(out.resolve(SAMPLES), OutputRows.SAMPLES_HEADER, OutputRows::sample, false))
                .setParallelism(1)
                .name(SAMPLES);
        o.rejects()
                .sinkTo(new CsvFileSink<>(out.resolve(REJECTS), OutputRows.REJECTS_HEADER, OutputRows::reject, false))
                .setParallelism(1)
                .name(REJECTS);
        o.counts()
                .sinkTo(new SummarySink(out.resolve(SUMMARY)))
                .setParallelism(1)
                .name(SUMMARY);
    }

    /**
     * The results tables, plus the per-minute instantiation times that only Grafana shows (so the
     * windows are built only when the tables are written). Rejects are counted by reason in the
     * counters.
     */
    public static void postgres(AnalyzePipeline.Outputs o, PostgresOutput postgres, Lateness lateness) {
        postgres.lifecycles(o.lifecycles());
        postgres.minutes(MinuteWindows.of(o.lifecycles(), Metric.SCHEDULED_TO_STARTED, lateness));
        postgres.stats(o.stats());
        postgres.comparisons(o.comparisons());
        postgres.counts(o.counts());
    }
}
