package dev.wasmorch.shim.app;

import com.sun.net.httpserver.HttpServer;
import dev.wasmorch.shim.registry.PortRegistry;
import dev.wasmorch.shim.task.WorkloadException;
import dev.wasmorch.shim.task.WorkloadStats;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** A running app: listener, workers, registration and staged files, released together by close(). */
final class AppInstance implements RunningApp {

    /** How long close() lets in-flight requests finish. */
    private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(1);

    private final HttpServer server;
    private final WagiHandler handler;
    /** The daemon's per-instance cap (WASMORCH_MAX_MEMORY): an Update never raises an app above it. */
    private final long maxMemoryCeiling;

    private final Workers workers;
    /** {@code null} for an app that is not published (the daemon's warm-up app) */
    private final PortRegistry.Publication publication;

    private final List<FileMounts> mounts;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicBoolean firstRequest = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    AppInstance(
            HttpServer server,
            WagiHandler handler,
            long maxMemoryCeiling,
            Workers workers,
            PortRegistry.Publication publication,
            Collection<FileMounts> mounts) {
        this.server = server;
        this.handler = handler;
        this.maxMemoryCeiling = maxMemoryCeiling;
        this.workers = workers;
        this.publication = publication;
        this.mounts = List.copyOf(mounts);
    }

    /** Runs {@code event} on the app's first good answer, and never again. */
    void firstSuccess(Runnable event) {
        if (firstRequest.compareAndSet(false, true)) {
            event.run();
        }
    }

    /** Requests being served right now. */
    int inFlight() {
        return handler.inFlight();
    }

    /** The listener's address (the wildcard address when it listens on all). */
    java.net.InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public WorkloadStats stats() {
        return handler.stats();
    }

    /**
     * {@inheritDoc} The limit bounds the app's instances together: each of the app's workers (its
     * concurrent requests) gets {@code bytes / workers}, never more than the daemon's own cap; a limit
     * of 0 or less (none) restores the daemon's cap.
     */
    @Override
    public void limitMemory(long bytes) throws WorkloadException {
        handler.limitMemory(bytes <= 0 ? maxMemoryCeiling : Math.min(maxMemoryCeiling, bytes / workers.count()));
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (publication != null) {
            publication.close();
        }
        // In-flight requests get the grace period to finish; then the server stops at once. (JDK 17's
        // HttpServer.stop(n) would wait all n seconds even with nothing open, JDK-8304065: a task's
        // Kill took a second.)
        try {
            handler.awaitIdle(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        try {
            workers.shutdown(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handler.close();
        mounts.forEach(FileMounts::close);
        exit.complete(0);
    }
}
