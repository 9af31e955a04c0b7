package dev.wasmorch.shim.app;

import java.util.concurrent.CompletableFuture;

/** A started app: its HTTP listener is bound and (best effort) registered in Redis. */
public interface RunningApp extends AutoCloseable {

    /** The TCP port the OS assigned to the app's listener. */
    int port();

    /**
     * Completes with the app's exit status: 0 after {@link #close()}. An app serves until it is
     * stopped; a failing request never ends it.
     */
    CompletableFuture<Integer> exit();

    /** CPU time and memory it has used, for the task's Stats. */
    AppStats stats();

    /**
     * Applies a container memory limit (a task's Update) to its components' per-instance caps;
     * requests already running keep theirs.
     *
     * @throws AppException {@code memory_limit} if a module needs more memory at start than that allows
     */
    void limitMemory(long bytes) throws AppException;

    /** Stops the listener, unregisters the port from Redis and completes {@link #exit()}. Idempotent. */
    @Override
    void close();
}
