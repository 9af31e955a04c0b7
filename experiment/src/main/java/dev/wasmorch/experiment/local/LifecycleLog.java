package dev.wasmorch.experiment.local;

import dev.wasmorch.contract.lifecycle.NativeLine;
import dev.wasmorch.experiment.model.PodRef;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The native lifecycle lines of the local node (contract/log-format.md), written through the
 * contract's writer with the microsecond timestamps the backend took. The local backend plays the
 * API server, the scheduler and the kubelet at once, so its lines name it as their component
 * ({@value #COMPONENT}) and the node as their host. Each line is flushed when written: an
 * interrupted run keeps every line of the pods it made.
 */
final class LifecycleLog implements AutoCloseable {

    static final String COMPONENT = "wasmorch-lab";

    private final BufferedWriter out;
    private final String node;

    LifecycleLog(Path file, String node) throws IOException {
        Files.createDirectories(file.getParent());
        this.out = Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.node = node;
    }

    /** One pod-level event (PodCreated, PodScheduled, SandboxReady, PodReady, PodDeleted). */
    synchronized void pod(long micros, String event, PodRef pod, String handler) throws IOException {
        write(line(micros, event, pod).field("handler", handler));
    }

    /** One container event (ContainerCreated, ContainerStarted). */
    synchronized void container(long micros, String event, PodRef pod, String handler, String container, String cid)
            throws IOException {
        write(line(micros, event, pod)
                .field("container", container)
                .field("cid", cid)
                .field("handler", handler));
    }

    private NativeLine line(long micros, String event, PodRef pod) {
        return NativeLine.of(Instant.EPOCH.plusNanos(micros * 1000), event)
                .field("ns", pod.namespace())
                .field("pod", pod.name())
                .field("uid", pod.uid())
                .field("node", node)
                .field("host", node)
                .field("component", COMPONENT);
    }

    private void write(NativeLine line) throws IOException {
        out.write(line.toString());
        out.write('\n');
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
