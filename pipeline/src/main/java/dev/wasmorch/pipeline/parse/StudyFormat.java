package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Origin;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads the 2023 study's patched event recorder: a klog structured line whose message is
 * {@code ===K3S-CUSTOM-998===}, with {@code reason="..."}, {@code object="ns/name"} and
 * {@code time="..."} (the time the recorder took, a full date). For {@code SuccessfulCreate} the
 * object is the pod or its ReplicaSet (the pod then in {@code message="Created pod: NAME"}).
 */
final class StudyFormat implements Dialect {

    static final String MARKER_CORE = "K3S-CUSTOM-998";
    static final String MARKER = "===" + MARKER_CORE + "===";

    /** The core is enough for the pre-filter; the parser wants the whole marker. */
    @Override
    public String marker() {
        return MARKER_CORE;
    }

    @Override
    public int find(String message) {
        return message.indexOf(MARKER);
    }

    @Override
    public List<LifecycleEvent> parse(LineContext ctx, String msg, int markerAt) throws LineRejected {
        int from = markerAt + MARKER.length();
        if (from < msg.length() && msg.charAt(from) == '"') {
            from++; // the marker is klog's quoted message
        }
        Map<String, String> f = KeyValues.parseKlog(msg, from);
        String reason = LineContext.require(f, "reason");
        String object = LineContext.require(f, "object");
        String timeValue = LineContext.require(f, "time");
        String kind = f.get("kind");
        if (kind != null && kind.isEmpty()) {
            kind = null;
        }
        String[] nsName = LineContext.namespacedName(object, "object");
        KubeEvents.Mapped m = KubeEvents.map(reason, kind, nsName[1], f.get("message"), f.get("fieldPath"), "message");
        if (m == null) {
            return List.of();
        }
        Instant time = Times.parseGo(timeValue, "time");
        return List.of(ctx.event(
                time,
                m.phase(),
                nsName[0],
                m.pod(),
                null,
                m.node(),
                ctx.envelope.host(),
                m.component(),
                m.container(),
                null,
                Origin.STUDY,
                false));
    }
}
