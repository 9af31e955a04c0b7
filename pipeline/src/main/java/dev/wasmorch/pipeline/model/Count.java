package dev.wasmorch.pipeline.model;

/**
 * A job counter increment. Operators emit these on a side stream; the summary sums them by name.
 * Names: {@code lines_read}, {@code lines_matched}, {@code events}, {@code rejected:REASON},
 * {@code duplicates}, {@code pods_complete}, {@code pods_incomplete}, {@code late_events} (streaming: a phase
 * that arrived after its pod had finished), {@code files}, {@code pods_unclassified},
 * {@code classified_by:RULE}.
 */
public record Count(String name, long delta) {

    /** Pods whose runtime nothing decided. */
    public static final String PODS_UNCLASSIFIED = "pods_unclassified";

    /**
     * Prefix of the counter of pods a {@code --classify} rule decided, followed by the rule as
     * written; pods.csv flags those pods the same way.
     */
    public static final String CLASSIFIED_BY = "classified_by:";
}
