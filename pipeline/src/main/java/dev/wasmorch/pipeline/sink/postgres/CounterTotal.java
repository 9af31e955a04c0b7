package dev.wasmorch.pipeline.sink.postgres;

import java.time.Instant;

/**
 * A job counter's running total at a moment: what the sink stores, because a total can be written
 * again after a restart without counting anything twice (a delta could not).
 *
 * @param job   the job label the counters belong to
 * @param name  counter name ({@code lines_read}, {@code rejected:REASON}, ...)
 * @param total the sum of all deltas so far
 * @param at    when the total was taken (whole seconds)
 */
public record CounterTotal(String job, String name, long total, Instant at) {}
