package dev.wasmorch.pipeline.job;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.results.ComparisonsFile;
import dev.wasmorch.pipeline.results.PodsFile;
import dev.wasmorch.pipeline.results.RejectsFile;
import dev.wasmorch.pipeline.results.SamplesFile;
import dev.wasmorch.pipeline.results.StatsFile;
import dev.wasmorch.pipeline.results.SummaryFile;
import dev.wasmorch.pipeline.sink.CsvFileSink;
import dev.wasmorch.pipeline.sink.SummarySink;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import dev.wasmorch.pipeline.stats.window.Lateness;
import dev.wasmorch.pipeline.stats.window.MinuteWindows;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.function.SerializableFunction;

/** Attaches the outputs of pipeline/README.md ("Outputs") to an analysis graph. */
public final class Sinks {

    private Sinks() {}

    /** The result files in {@code out}; the small ones sorted, the large ones as they come. */
    public static void files(AnalyzePipeline.Outputs o, Path out) {
        csv(o.stats(), out, StatsFile.NAME, StatsFile.COLUMNS, StatsFile::row, true);
        csv(o.comparisons(), out, ComparisonsFile.NAME, ComparisonsFile.COLUMNS, ComparisonsFile::row, true);
        csv(o.lifecycles(), out, PodsFile.NAME, PodsFile.COLUMNS, PodsFile::row, false);
        csv(o.samples(), out, SamplesFile.NAME, SamplesFile.COLUMNS, SamplesFile::row, false);
        csv(o.rejects(), out, RejectsFile.NAME, RejectsFile.COLUMNS, RejectsFile::row, false);
        o.counts()
                .sinkTo(new SummarySink(out.resolve(SummaryFile.NAME)))
                .setParallelism(1)
                .name(SummaryFile.NAME);
    }

    private static <T> void csv(
            DataStream<T> stream,
            Path out,
            String name,
            List<String> columns,
            SerializableFunction<T, List<String>> row,
            boolean sorted) {
        stream.sinkTo(new CsvFileSink<>(out.resolve(name), columns, row, sorted))
                .setParallelism(1)
                .name(name);
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
