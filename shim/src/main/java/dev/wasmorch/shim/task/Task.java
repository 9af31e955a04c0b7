package dev.wasmorch.shim.task;

import dev.wasmorch.shim.proto.task.CreateTaskRequest;
import dev.wasmorch.shim.proto.types.task.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One task's state: CREATED after Create, RUNNING after Start, STOPPED once its workload ended or
 * it was killed. The first cause of the exit wins (a kill's status over the app's own exit code that
 * follows from stopping it).
 */
final class Task {

    final TaskKey key;
    final CreateTaskRequest request;
    final BundleConfig config;
    final Path rootfs;
    final boolean rootfsMounted;
    final StdioSink stdout;
    final StdioSink stderr;
    /** A sandbox's own network namespace, or an app's in its sandbox's; empty: the node's network. */
    final Optional<NetworkNamespace> podNetwork;

    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private Status status = Status.CREATED;
    private boolean ending;
    private Workload workload;

    Task(
            TaskKey key,
            CreateTaskRequest request,
            BundleConfig config,
            Path rootfs,
            boolean rootfsMounted,
            StdioSink stdout,
            StdioSink stderr,
            Optional<NetworkNamespace> podNetwork) {
        this.key = key;
        this.request = request;
        this.config = config;
        this.rootfs = rootfs;
        this.rootfsMounted = rootfsMounted;
        this.stdout = stdout;
        this.stderr = stderr;
        this.podNetwork = podNetwork;
    }

    synchronized Status status() {
        return status;
    }

    /** Marks the task running with its workload; false when a Kill claimed its exit meanwhile. */
    synchronized boolean running(Workload w) {
        if (ending) {
            return false;
        }
        workload = w;
        status = Status.RUNNING;
        return true;
    }

    /** Claims the task's exit for one cause; false when it is already ending or ended. */
    synchronized boolean beginExit() {
        if (ending) {
            return false;
        }
        ending = true;
        return true;
    }

    /** Records the exit (after {@link #beginExit()} and the workload's stop): Wait returns now. */
    synchronized void exited(ExitStatus s) {
        status = Status.STOPPED;
        exit.complete(s);
    }

    synchronized Workload workload() {
        return workload;
    }

    CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    /** Go's zero time.Time, which a shim reports as exited_at while the task has not ended. */
    static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** The exit, or status 0 at Go's zero time while the task has not ended. */
    ExitStatus exitOrNone() {
        return exit.getNow(new ExitStatus(0, GO_ZERO_TIME));
    }
}
