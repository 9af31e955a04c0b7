package dev.wasmorch.shim.task;

import dev.wasmorch.pipeline.logformat.NativeLine;
import java.io.PrintStream;
import java.time.Instant;

/**
 * Writes the shim's pod-lifecycle events in the native format (docs/log-format.md) for the
 * pipeline. Tasks started outside Kubernetes (ctr run) carry no pod annotations: they are logged
 * with the containerd namespace as {@code ns} and the container ID as {@code pod}.
 */
public final class LifecycleLog {

    private final PrintStream out;
    private final String host;

    public LifecycleLog(PrintStream out, String host) {
        this.out = out;
        this.host = host;
    }

    void taskCreated(Instant at, TaskKey key, BundleConfig config) {
        String ns = config.podNamespace() != null ? config.podNamespace() : key.namespace();
        String pod = config.podName() != null ? config.podName() : key.id();
        NativeLine line = NativeLine.of(at, "TaskCreated").field("ns", ns).field("pod", pod)
                .field("uid", config.podUid()).field("node", host).field("host", host)
                .field("component", "wasmorch-shim").field("container", config.containerName())
                .field("cid", key.id());
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
