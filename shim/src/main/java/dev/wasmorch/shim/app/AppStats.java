package dev.wasmorch.shim.app;

/**
 * What an app has used, for the task's Stats.
 *
 * @param cpuNanos         CPU time its requests' threads spent serving it, since it started
 * @param memoryBytes      linear memory of the instances alive right now (one per request in
 *                         flight; an idle app holds none)
 * @param memoryLimitBytes the most it can hold: workers x the per-instance memory cap
 * @param memoryLimitHits  requests that failed at the memory cap
 * @param queueRefusals    requests answered 503 without running: no worker free within the queue
 *                         limit, or the queue full
 */
public record AppStats(
        long cpuNanos, long memoryBytes, long memoryLimitBytes, long memoryLimitHits, long queueRefusals) {}
