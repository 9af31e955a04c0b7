package dev.wasmorch.pipeline.report;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts per label with a bound on distinct labels: labels come from files that may be hostile or
 * broken, and a million distinct "reasons" must not become a million table rows. Past the bound,
 * new labels are counted under {@value #OTHER}.
 */
final class BoundedCounts {

    static final String OTHER = "(other labels)";
    private final int maxLabels;
    private final Map<String, Long> counts = new TreeMap<>();

    BoundedCounts(int maxLabels) {
        this.maxLabels = maxLabels;
    }

    /** Counts one occurrence; returns the label it was counted under. */
    String add(String label) {
        String key = counts.containsKey(label) || counts.size() < maxLabels ? label : OTHER;
        counts.merge(key, 1L, Long::sum);
        return key;
    }

    Map<String, Long> asMap() {
        return Collections.unmodifiableMap(counts);
    }
}
