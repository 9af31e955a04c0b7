package dev.wasmorch.shim.app;

import dev.wasmorch.shim.task.Workload;
import dev.wasmorch.shim.task.WorkloadException;

/**
 * A started app, the workload of an app task: its HTTP listener is bound and (best effort)
 * registered in Redis. It serves until it is stopped: a failing request never ends it, and
 * {@link #exit()} completes with 0 after {@link #close()}.
 */
public interface RunningApp extends Workload, AutoCloseable {

    /** The TCP port the OS assigned to the app's listener. */
    int port();

    /**
     * Applies a container memory limit (a task's Update) to its components' per-instance caps;
     * requests already running keep theirs.
     *
     * @throws WorkloadException {@code memory_limit} if a module needs more memory at start than that allows
     */
    @Override
    void limitMemory(long bytes) throws WorkloadException;

    /** Stops the listener, unregisters the port from Redis and completes {@link #exit()}. Idempotent. */
    @Override
    void close();

    /** A task's Kill stops the app as closing it does. */
    @Override
    default void stop() {
        close();
    }
}
