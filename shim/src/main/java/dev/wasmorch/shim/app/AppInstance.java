package dev.wasmorch.shim.app;

import com.sun.net.httpserver.HttpServer;
import dev.wasmorch.shim.registry.PortRegistry;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A running app: listener, workers, registration and staged files, released together by close(). */
final class AppInstance implements RunningApp {

    /** How long close() lets in-flight requests finish. */
    private static final int STOP_GRACE_SECONDS = 1;

    private final HttpServer server;
    private final WagiHandler handler;
    private final ExecutorService executor;
    private final PortRegistry.Publication publication;
    private final List<FileMounts> mounts;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicBoolean firstRequest = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    AppInstance(HttpServer server, WagiHandler handler, ExecutorService executor, PortRegistry.Publication publication,
                Collection<FileMounts> mounts) {
        this.server = server;
        this.handler = handler;
        this.executor = executor;
        this.publication = publication;
        this.mounts = List.copyOf(mounts);
    }

    void firstSuccess(LifecycleLog log) {
        if (firstRequest.compareAndSet(false, true)) {
            log.event("FirstRequest", null);
        }
    }

    /** Requests being served right now. */
    int inFlight() {
        return handler.inFlight();
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
        publication.close();
        // JDK 17's HttpServer.stop(n) waits the whole n seconds even when no exchange is open (fixed
        // in JDK 21, JDK-8304065): an idle app stops at once, so a task's Kill does not take a second.
        server.stop(handler.inFlight() == 0 ? 0 : STOP_GRACE_SECONDS);
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mounts.forEach(FileMounts::close);
        exit.complete(0);
    }
}
