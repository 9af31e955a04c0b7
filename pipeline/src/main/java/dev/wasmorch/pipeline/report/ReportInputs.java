package dev.wasmorch.pipeline.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the page shows, read from the analyzer's output directory. The big files (samples,
 * pods, rejects) are reduced while streaming; only stats and comparisons, one row per group, are
 * kept whole.
 */
record ReportInputs(
        List<StatRow> stats,
        List<ComparisonRow> comparisons,
        SampleDigests samples,
        PodSummary pods,
        RejectSummary rejects,
        IngestSummary summary,
        List<CsvInput.Outcome> files) {

    static ReportInputs read(Path dir, ReportOptions options) throws IOException {
        List<StatRow> stats = new ArrayList<>();
        List<ComparisonRow> comparisons = new ArrayList<>();
        SampleDigests samples = new SampleDigests(options.sampleCapacity());
        PodSummary pods = new PodSummary(options.listedPods());
        RejectSummary rejects = new RejectSummary(options.rejectExamples());
        List<CsvInput.Outcome> files = List.of(
                CsvInput.forEach(dir.resolve("stats.csv"), r -> stats.add(StatRow.of(r))),
                CsvInput.forEach(dir.resolve("comparisons.csv"), r -> comparisons.add(ComparisonRow.of(r))),
                CsvInput.forEach(dir.resolve("samples.csv"), samples::add),
                CsvInput.forEach(dir.resolve("pods.csv"), pods::add),
                CsvInput.forEach(dir.resolve("rejects.csv"), rejects::add));
        return new ReportInputs(stats, comparisons, samples, pods, rejects,
                IngestSummary.read(dir.resolve("summary.json")), files);
    }
}
