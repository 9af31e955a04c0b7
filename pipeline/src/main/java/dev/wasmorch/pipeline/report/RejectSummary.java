package dev.wasmorch.pipeline.report;

import dev.wasmorch.pipeline.results.RejectsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** rejects.csv reduced while streaming: the count per reason and its first few examples. */
final class RejectSummary {

    record Example(String file, String line, String detail, String excerpt) {}

    private final int examplesPerReason;
    private final BoundedCounts counts = new BoundedCounts(100);
    private final Map<String, List<Example>> examples = new TreeMap<>();

    RejectSummary(int examplesPerReason) {
        this.examplesPerReason = examplesPerReason;
    }

    void add(RejectsFile.Entry row) {
        String reason = row.reason().isBlank() ? "(none)" : row.reason();
        String key = counts.add(reason);
        List<Example> list = examples.computeIfAbsent(key, k -> new ArrayList<>());
        if (list.size() < examplesPerReason) {
            list.add(new Example(row.file(), row.line(), row.detail(), row.excerpt()));
        }
    }

    Map<String, Long> counts() {
        return counts.asMap();
    }

    List<Example> examples(String reason) {
        return examples.getOrDefault(reason, List.of());
    }
}
