package dev.wasmorch.pipeline.report;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.SummaryStats;
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
        List<SummaryStats> stats,
        List<Comparison> comparisons,
        SampleDigests samples,
        PodSummary pods,
        RejectSummary rejects,
        IngestSummary summary,
        List<CsvInput.Outcome> files) {

    static ReportInputs read(Path dir, ReportOptions options) throws IOException {
        List<SummaryStats> stats = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        SampleDigests samples = new SampleDigests(options.sampleCapacity());
        PodSummary pods = new PodSummary(options.listedPods());
        RejectSummary rejects = new RejectSummary(options.rejectExamples());
        List<CsvInput.Outcome> files = List.of(
                CsvInput.forEach(dir.resolve("stats.csv"), r -> stats.add(OutputRows.stats(r))),
                CsvInput.forEach(dir.resolve("comparisons.csv"), r -> comparisons.add(OutputRows.comparison(r))),
                CsvInput.forEach(dir.resolve("samples.csv"), samples::add),
                CsvInput.forEach(dir.resolve("pods.csv"), pods::add),
                CsvInput.forEach(dir.resolve("rejects.csv"), rejects::add));
        return new ReportInputs(
                stats, comparisons, samples, pods, rejects, IngestSummary.read(dir.resolve("summary.json")), files);
    }
}
