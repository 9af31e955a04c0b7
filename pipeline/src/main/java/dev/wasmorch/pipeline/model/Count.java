package dev.wasmorch.pipeline.model;

/**
 * A job counter increment. Operators emit these on a side stream; the summary sums them by name.
 * Names: {@code lines_read}, {@code lines_matched}, {@code events}, {@code rejected:REASON},
 * {@code duplicates}, {@code pods_complete}, {@code pods_incomplete}, {@code late_events} (streaming: a phase
 * that arrived after its pod had finished), {@code files}.
 */
public record Count(String name, long delta) {}
