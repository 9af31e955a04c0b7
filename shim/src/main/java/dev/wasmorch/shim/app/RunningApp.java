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

    /** Stops the listener, unregisters the port from Redis and completes {@link #exit()}. Idempotent. */
    @Override
    void close();
}
