package dev.wasmorch.shim.task;

import java.util.concurrent.CompletableFuture;

/**
 * The pod sandbox: CRI's pause container holds the pod's namespaces; here the pod shares the host's,
 * so there is nothing to run. The task just lives until it is killed.
 */
final class SandboxWorkload implements Workload {

    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    @Override
    public void stop() {
        // the kill's exit status is recorded by the task; this only releases waiters
        exit.complete(0);
    }

    @Override
    public WorkloadStats stats() {
        return WorkloadStats.NONE;
    }

    /** Nothing runs that could use memory: any limit holds. */
    @Override
    public void limitMemory(long bytes) {}
}
