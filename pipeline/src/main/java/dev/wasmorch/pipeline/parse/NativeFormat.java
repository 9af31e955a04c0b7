package dev.wasmorch.pipeline.parse;

import dev.wasmorch.contract.lifecycle.NativeLine;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Origin;
import dev.wasmorch.pipeline.model.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads {@code WASMORCH-LIFECYCLE/1} events (contract/log-format.md). */
final class NativeFormat implements Dialect {

    static final String KUBE_EVENT = "KubeEvent";

    @Override
    public String marker() {
        return NativeLine.MARKER;
    }

    @Override
    public int find(String message) {
        return message.indexOf(NativeLine.MARKER);
    }

    @Override
    public List<LifecycleEvent> parse(LineContext ctx, String msg, int markerAt) throws LineRejected {
        Map<String, String> f = KeyValues.parseNative(msg, markerAt + NativeLine.MARKER.length());
        Instant ts = Times.parseNative(LineContext.require(f, "ts"), "ts");
        String event = LineContext.require(f, "event");
        String ns = LineContext.require(f, "ns");
        String host = LineContext.require(f, "host");
        String component = LineContext.require(f, "component");
        String uid = emptyToNull(f.get("uid"));
        String node = emptyToNull(f.get("node"));
        String container = emptyToNull(f.get("container"));
        String handler = emptyToNull(f.get("handler"));
        if (event.equals(KUBE_EVENT)) {
            String reason = LineContext.require(f, "reason");
            String kind = LineContext.require(f, "kind");
            String object = LineContext.require(f, "object");
            KubeEvents.Mapped m = KubeEvents.map(reason, kind, object, f.get("msg"), null, "msg");
            if (m == null) {
                return List.of();
            }
            if (uid == null && kind.equals("Pod")) {
                uid = emptyToNull(f.get("objuid"));
            }
            return List.of(ctx.event(
                    ts,
                    m.phase(),
                    ns,
                    m.pod(),
                    uid,
                    node != null ? node : m.node(),
                    host,
                    component,
                    container != null ? container : m.container(),
                    handler,
                    Origin.NATIVE_EVENT,
                    false));
        }
        Phase phase = Phase.fromEventName(event);
        if (phase == null) {
            throw new LineRejected(
                    Reasons.UNKNOWN_EVENT,
                    "field event: '" + KeyValues.clip(event) + "' is not an event kind of log format 1");
        }
        String pod = LineContext.require(f, "pod");
        return List.of(
                ctx.event(ts, phase, ns, pod, uid, node, host, component, container, handler, Origin.NATIVE, false));
    }

    private static String emptyToNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }
}
