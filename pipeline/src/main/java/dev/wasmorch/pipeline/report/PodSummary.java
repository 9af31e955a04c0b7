package dev.wasmorch.pipeline.report;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.results.PodsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * pods.csv reduced while streaming: counts per runtime and node, flag counts, and the first
 * {@code listLimit} pods that are incomplete or flagged (the rest are only counted).
 */
final class PodSummary {

    private final int listLimit;
    private final Map<String, long[]> byRuntime = new TreeMap<>();
    private final Map<String, long[]> byNode = new TreeMap<>();
    private final BoundedCounts flags = new BoundedCounts(100);
    private final List<PodsFile.Entry> problems = new ArrayList<>();
    private long total;
    private long complete;
    private long problemCount;
    private long duplicates;

    PodSummary(int listLimit) {
        this.listLimit = listLimit;
    }

    void add(PodsFile.Entry row) {
        total++;
        boolean isComplete = row.complete();
        complete += isComplete ? 1 : 0;
        duplicates += row.duplicates();
        tally(byRuntime, orUnknown(row.runtime()), isComplete);
        tally(byNode, orUnknown(row.node()), isComplete);
        boolean flagged = false;
        for (String f : row.flags().split(";")) {
            if (!f.isBlank()) {
                flags.add(f.trim());
                // A rule deciding the runtime is how the user asked it done, not a problem.
                flagged |= !f.startsWith(Count.CLASSIFIED_BY);
            }
        }
        if (!isComplete || flagged) {
            problemCount++;
            if (problems.size() < listLimit) {
                problems.add(row);
            }
        }
    }

    private static String orUnknown(String s) {
        return s.isBlank() ? "(unknown)" : s;
    }

    private static void tally(Map<String, long[]> map, String key, boolean isComplete) {
        long[] c = map.computeIfAbsent(key, k -> new long[2]);
        c[0]++;
        c[1] += isComplete ? 1 : 0;
    }

    long total() {
        return total;
    }

    long complete() {
        return complete;
    }

    long duplicates() {
        return duplicates;
    }

    /** Per runtime: {pods, complete}. */
    Map<String, long[]> byRuntime() {
        return byRuntime;
    }

    /** Per node: {pods, complete}. */
    Map<String, long[]> byNode() {
        return byNode;
    }

    Map<String, Long> flags() {
        return flags.asMap();
    }

    /** The first pods worth a look: incomplete or flagged. */
    List<PodsFile.Entry> problems() {
        return problems;
    }

    /** All incomplete or flagged pods, listed or not. */
    long problemCount() {
        return problemCount;
    }
}
