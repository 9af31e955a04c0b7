package dev.wasmorch.shim.daemon;

import dev.wasmorch.shim.task.TaskManager;
import dev.wasmorch.shim.task.TaskService;
import dev.wasmorch.shim.ttrpc.TtrpcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The node's long-lived shim: one TTRPC server for the tasks of every container a containerd
 * instance runs with this runtime in one namespace (Kubernetes uses one, {@code k8s.io}), so the
 * JVM starts once per node rather than once per container.
 */
public final class ShimDaemon implements AutoCloseable {

    private final TaskManager tasks;
    private final TtrpcServer server;
    private final List<AutoCloseable> resources;

    /** @param resources closed in order after the tasks stopped (event sender, app runner) */
    public ShimDaemon(Path socket, String namespace, TaskManager tasks, List<AutoCloseable> resources) {
        this.tasks = tasks;
        this.resources = List.copyOf(resources);
        this.server = new TtrpcServer(socket, List.of(new TaskService(tasks, namespace)));
    }

    /**
     * Binds the socket, then writes the pid file: the launcher waits for the pid file, so once it
     * exists the socket accepts connections.
     */
    public void start(Path pidFile) throws IOException {
        server.start();
        if (pidFile != null) {
            Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
            Files.move(tmp, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Path socket() {
        return server.socket();
    }

    /** Stops every app (they unregister from Redis), then the server. */
    @Override
    public void close() throws Exception {
        tasks.stopAll();
        for (AutoCloseable r : resources) {
            r.close();
        }
        server.close();
    }
}
