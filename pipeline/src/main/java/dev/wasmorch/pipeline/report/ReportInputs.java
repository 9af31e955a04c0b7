package dev.wasmorch.pipeline.report;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.results.ComparisonsFile;
import dev.wasmorch.pipeline.results.CsvInput;
import dev.wasmorch.pipeline.results.PodsFile;
import dev.wasmorch.pipeline.results.RejectsFile;
import dev.wasmorch.pipeline.results.SamplesFile;
import dev.wasmorch.pipeline.results.StatsFile;
import dev.wasmorch.pipeline.results.SummaryFile;
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
        SummaryFile.Totals summary,
        List<CsvInput.Outcome> files) {

    static ReportInputs read(Path dir, ReportOptions options) throws IOException {
        List<SummaryStats> stats = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        SampleDigests samples = new SampleDigests(options.sampleCapacity());
        PodSummary pods = new PodSummary(options.listedPods());
        RejectSummary rejects = new RejectSummary(options.rejectExamples());
        List<CsvInput.Outcome> files = List.of(
                CsvInput.forEach(dir.resolve(StatsFile.NAME), r -> stats.add(StatsFile.read(r))),
                CsvInput.forEach(dir.resolve(ComparisonsFile.NAME), r -> comparisons.add(ComparisonsFile.read(r))),
                CsvInput.forEach(dir.resolve(SamplesFile.NAME), r -> samples.add(SamplesFile.read(r))),
                CsvInput.forEach(dir.resolve(PodsFile.NAME), r -> pods.add(PodsFile.read(r))),
                CsvInput.forEach(dir.resolve(RejectsFile.NAME), r -> rejects.add(RejectsFile.read(r))));
        return new ReportInputs(
                stats, comparisons, samples, pods, rejects, SummaryFile.read(dir.resolve(SummaryFile.NAME)), files);
    }
}
