package dev.wasmorch.shim.task;

import dev.wasmorch.contract.lifecycle.NativeLine;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Writes the shim's pod-lifecycle events in the native format (contract/log-format.md) for the
 * pipeline, through the contract's writer: the task side's {@code TaskCreated}, the app side's
 * {@code ModuleCompiled}, {@code Listening} and {@code FirstRequest}. The timestamp is taken when the
 * event happens, on this node's clock ({@code host}). Tasks started outside Kubernetes (ctr run)
 * carry no pod annotations: they are logged with {@code ns=ctr} and the container ID as
 * {@code pod}, so their lines still parse but never join a K8s pod.
 */
public final class LifecycleLog {

    private final Consumer<String> sink;
    private final Clock clock;
    /** This node's name: both where the pod runs ({@code node}) and whose clock took {@code ts} ({@code host}). */
    private final String host;

    public LifecycleLog(Consumer<String> sink, Clock clock, String host) {
        this.sink = sink;
        this.clock = clock;
        this.host = host;
    }

    /** One that writes nothing: for the daemon's internal warm-up apps. */
    public static LifecycleLog discarding() {
        return new LifecycleLog(line -> {}, Clock.systemUTC(), "");
    }

    void taskCreated(TaskKey key, BundleConfig config) {
        sink.accept(line("TaskCreated", key, config, config.podUid()).toString());
    }

    /** An event of the app a task runs; {@code msg} may be {@code null}. */
    public void appEvent(TaskSpec spec, String event, String msg) {
        sink.accept(
                line(event, spec.key(), spec.config(), null).field("msg", msg).toString());
    }

    private NativeLine line(String event, TaskKey key, BundleConfig config, String uid) {
        return NativeLine.of(clock.instant(), event)
                .field("ns", config.podNamespace() != null ? config.podNamespace() : "ctr")
                .field("pod", config.podName() != null ? config.podName() : key.id())
                .field("uid", uid)
                .field("node", host)
                .field("host", host)
                .field("component", "wasmorch-shim")
                .field("container", config.containerName())
                .field("cid", key.id());
    }
}
