package dev.wasmorch.pipeline.report;

import dev.wasmorch.pipeline.results.SamplesFile;
import java.util.Map;
import java.util.TreeMap;

/**
 * samples.csv reduced to one {@link Reservoir} per (scenario, function, runtime, metric) and one
 * per (scenario, runtime, metric) over all functions, for the CDFs. Memory is bounded by the
 * number of groups, not rows.
 */
final class SampleDigests {

    /** The function label of the groups pooled over all functions. */
    static final String ALL_FUNCTIONS = "*";

    record Key(String scenario, String metric, String function, String runtime) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = scenario.compareTo(o.scenario);
            c = c != 0 ? c : metric.compareTo(o.metric);
            c = c != 0 ? c : function.compareTo(o.function);
            return c != 0 ? c : runtime.compareTo(o.runtime);
        }
    }

    private final int capacity;
    private final Map<Key, Reservoir> groups = new TreeMap<>();
    private long rows;
    private long unusable;

    SampleDigests(int capacity) {
        this.capacity = capacity;
    }

    void add(SamplesFile.Entry row) {
        double value = row.value();
        if (!Double.isFinite(value)) {
            unusable++;
            return;
        }
        rows++;
        String scenario = row.scenario();
        String metric = row.metric();
        String runtime = row.runtime();
        reservoir(new Key(scenario, metric, row.function(), runtime)).add(value);
        reservoir(new Key(scenario, metric, ALL_FUNCTIONS, runtime)).add(value);
    }

    private Reservoir reservoir(Key key) {
        // Seeded by the key so the same input draws the same picture.
        return groups.computeIfAbsent(key, k -> new Reservoir(capacity, k.hashCode()));
    }

    Map<Key, Reservoir> groups() {
        return groups;
    }

    Reservoir get(String scenario, String metric, String function, String runtime) {
        return groups.get(new Key(scenario, metric, function, runtime));
    }

    long rows() {
        return rows;
    }

    /** Rows whose value was empty or not a finite number. */
    long unusable() {
        return unusable;
    }
}
