package dev.wasmorch.pipeline.model;

import java.time.Instant;

/**
 * A metric's values in one event-time minute (by the pod's PodScheduled time) for one group.
 * Percentiles as in docs/statistics.md (type 7).
 *
 * @param minute   the window's start
 * @param scenario scenario label
 * @param function function name
 * @param runtime  wasm or container
 * @param metric   metric name
 * @param n        number of pods
 * @param mean     arithmetic mean, seconds
 * @param p50      median, seconds
 * @param p95      95th percentile, seconds
 */
public record MinuteStats(
        Instant minute,
        String scenario,
        String function,
        Runtime runtime,
        String metric,
        long n,
        double mean,
        double p50,
        double p95) {}
