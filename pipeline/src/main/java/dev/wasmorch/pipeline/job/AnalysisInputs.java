package dev.wasmorch.pipeline.job;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Sample;
import java.nio.file.Path;
import java.util.List;

/**
 * What one batch analysis reads, gathered by the CLI before the job starts (so a missing file is
 * reported before any work is done).
 *
 * @param logFiles       log files (already expanded from directories)
 * @param pods           pod metadata from a snapshot or the API
 * @param metadataGiven  true when the user gave a metadata source (pods without it get flagged)
 * @param samples        samples read from hey and study CSV files
 * @param counts         counters of those readers (e.g. non-2xx responses)
 * @param rejects        rows those readers could not use
 */
public record AnalysisInputs(
        List<Path> logFiles,
        List<PodMetadata> pods,
        boolean metadataGiven,
        List<Sample> samples,
        List<Count> counts,
        List<Reject> rejects) {

    public AnalysisInputs {
        logFiles = List.copyOf(logFiles);
        pods = List.copyOf(pods);
        samples = List.copyOf(samples);
        counts = List.copyOf(counts);
        rejects = List.copyOf(rejects);
    }

    public boolean isEmpty() {
        return logFiles.isEmpty() && samples.isEmpty();
    }
}
