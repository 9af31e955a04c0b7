package dev.wasmorch.shim.task;

/**
 * A workload's resource use as a task's Stats reports it (cgroup v2 Metrics: CPU usage, memory
 * usage and limit, memory-limit events).
 */
public record WorkloadStats(long cpuNanos, long memoryBytes, long memoryLimitBytes, long memoryLimitHits) {

    /** A workload that runs nothing (a pod sandbox). */
    public static final WorkloadStats NONE = new WorkloadStats(0, 0, 0, 0);
}
