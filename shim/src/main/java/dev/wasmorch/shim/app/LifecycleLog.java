package dev.wasmorch.shim.app;

import dev.wasmorch.contract.lifecycle.NativeLine;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Writes the app side's pod-lifecycle events ({@code ModuleCompiled}, {@code Listening},
 * {@code FirstRequest}) in the native format of contract/log-format.md, through the pipeline's own writer.
 * The timestamp is taken when the event happens, on this node's clock ({@code host}).
 */
final class LifecycleLog {

    static final String COMPONENT = "wasmorch-shim";

    private final Consumer<String> sink;
    private final Clock clock;
    private final AppSpec spec;
    /** This node's name: both where the pod runs ({@code node}) and whose clock took {@code ts} ({@code host}). */
    private final String host;

    LifecycleLog(Consumer<String> sink, Clock clock, AppSpec spec, String host) {
        this.sink = sink;
        this.clock = clock;
        this.spec = spec;
        this.host = host;
    }

    void event(String event, String msg) {
        // ns and pod are required by the format. A task started with plain `ctr run` has no pod: it
        // logs ns=ctr and its container ID as pod, so its lines still parse but never join a K8s pod.
        String line = NativeLine.of(clock.instant(), event)
                .field("ns", spec.namespace() == null ? "ctr" : spec.namespace())
                .field("pod", spec.pod() == null ? spec.containerId() : spec.pod())
                .field("node", host)
                .field("host", host)
                .field("component", COMPONENT)
                .field("container", spec.container())
                .field("cid", spec.containerId())
                .field("msg", msg)
                .toString();
        sink.accept(line);
    }
}
