package dev.wasmorch.shim.task;

import java.util.concurrent.CompletableFuture;

/** What runs inside a task: a WASM app, or nothing at all for a pod sandbox. */
public interface Workload {

    /** Completes with the exit code when the workload ends by itself. */
    CompletableFuture<Integer> exit();

    /** Stops the workload (Kill); it releases everything it holds (listener, Redis keys). */
    void stop();

    /** What it has used so far (Stats). */
    WorkloadStats stats();

    /**
     * Applies the container's memory limit (Update).
     *
     * @param bytes the limit; 0 or less: none
     * @throws WorkloadException if the workload cannot run within it
     */
    void limitMemory(long bytes) throws WorkloadException;
}
