package dev.wasmorch.shim.task;

import dev.wasmorch.contract.lifecycle.NativeLine;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Writes the task side's pod-lifecycle event ({@code TaskCreated}) in the native format
 * (contract/log-format.md) for the pipeline; the app side writes ModuleCompiled, Listening and
 * FirstRequest the same way. Tasks started outside Kubernetes (ctr run) carry no pod annotations:
 * like the app side's lines they are logged with {@code ns=ctr} and the container ID as {@code pod}.
 */
public final class LifecycleLog {

    private final Consumer<String> sink;
    private final String host;

    public LifecycleLog(Consumer<String> sink, String host) {
        this.sink = sink;
        this.host = host;
    }

    void taskCreated(Instant at, TaskKey key, BundleConfig config) {
        String ns = config.podNamespace() != null ? config.podNamespace() : "ctr";
        String pod = config.podName() != null ? config.podName() : key.id();
        sink.accept(NativeLine.of(at, "TaskCreated")
                .field("ns", ns)
                .field("pod", pod)
                .field("uid", config.podUid())
                .field("node", host)
                .field("host", host)
                .field("component", "wasmorch-shim")
                .field("container", config.containerName())
                .field("cid", key.id())
                .toString());
    }
}
