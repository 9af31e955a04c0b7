package dev.wasmorch.shim.task;

/**
 * A workload's resource use, which a task's Stats reports as cgroup v2 Metrics.
 *
 * @param cpuNanos         CPU time its requests' threads spent serving it, since it started
 * @param memoryBytes      linear memory of the instances alive right now (one per request in
 *                         flight; an idle app holds none)
 * @param codeBytes        its compiled code, held while it runs ({@code WasmComponent.codeBytes})
 * @param memoryLimitBytes the most linear memory it can hold: workers x the per-instance memory cap
 * @param memoryLimitHits  requests that failed at the memory cap
 * @param queueRefusals    requests answered 503 without running: no worker free within the queue
 *                         limit, or the queue full (reported on the container's stderr, not in Stats)
 */
public record WorkloadStats(
        long cpuNanos,
        long memoryBytes,
        long codeBytes,
        long memoryLimitBytes,
        long memoryLimitHits,
        long queueRefusals) {

    /** A workload that runs nothing (a pod sandbox). */
    public static final WorkloadStats NONE = new WorkloadStats(0, 0, 0, 0, 0, 0);

    /** The memory it uses: the live instances' linear memory and its compiled code. */
    public long usageBytes() {
        return memoryBytes + codeBytes;
    }

    /** The most it can use: the code is held whatever the requests do, so it is on top of the instances' cap. */
    public long usageLimitBytes() {
        return memoryLimitBytes + codeBytes;
    }
}
