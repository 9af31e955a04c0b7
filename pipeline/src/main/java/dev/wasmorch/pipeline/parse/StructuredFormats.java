package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Origin;
import dev.wasmorch.pipeline.model.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The klog structured lines of unpatched clusters: the recorder's "Event occurred", the
 * scheduler's "Successfully bound pod to node" and the kubelet's "Observed pod startup duration".
 */
final class StructuredFormats {

    static final String EVENT_OCCURRED = "Event occurred";
    static final String BOUND_POD = "Successfully bound pod to node";
    static final String OBSERVED_STARTUP = "Observed pod startup duration";

    private StructuredFormats() {}

    /**
     * {@code "Event occurred" [logger=...] object="ns/name" [fieldPath=...] kind=... apiVersion=...
     * type=... reason=... message=...}; timed by the klog header.
     */
    static List<LifecycleEvent> eventOccurred(LineContext ctx, Map<String, String> f) throws LineRejected {
        String reason = LineContext.require(f, "reason");
        String kind = LineContext.require(f, "kind");
        String object = LineContext.require(f, "object");
        int slash = object.indexOf('/');
        KubeEvents.Mapped m = KubeEvents.map(
                reason,
                kind,
                slash < 0 ? object : object.substring(slash + 1),
                f.get("message"),
                f.get("fieldPath"),
                "message");
        if (m == null) {
            return List.of();
        }
        String[] nsName = LineContext.namespacedName(object, "object");
        return List.of(ctx.event(
                ctx.klogTime(),
                m.phase(),
                nsName[0],
                m.pod(),
                null,
                m.node(),
                ctx.envelope.host(),
                m.component(),
                m.container(),
                null,
                Origin.EVENT_LOG,
                false));
    }

    /** {@code "Successfully bound pod to node" pod="ns/name" node="n" ...}; timed by the klog header. */
    static List<LifecycleEvent> boundPod(LineContext ctx, Map<String, String> f) throws LineRejected {
        String[] nsName = LineContext.namespacedName(LineContext.require(f, "pod"), "pod");
        String node = LineContext.require(f, "node");
        return List.of(ctx.event(
                ctx.klogTime(),
                Phase.SCHEDULED,
                nsName[0],
                nsName[1],
                null,
                node,
                ctx.envelope.host(),
                "kube-scheduler",
                null,
                null,
                Origin.SCHEDULER_LOG,
                false));
    }

    /**
     * {@code "Observed pod startup duration" pod="ns/name" ...}. Two phases come from its fields (the
     * klog header is only when the kubelet logged it, after the pod ran):
     * <ul>
     *   <li>{@code podCreationTimestamp} (1.26: {@code pod.CreationTimestamp}) → CREATED, taken by
     *       the API server to the second: {@code secondsPrecision}, host unknown;
     *   <li>{@code observedRunningTime} → CONTAINER_STARTED: when the kubelet saw all containers
     *       running (an upper bound of the first container's start), the kubelet host's clock.
     * </ul>
     * Go's zero time stands for "not observed" and gives no event.
     */
    static List<LifecycleEvent> observedStartup(LineContext ctx, Map<String, String> f) throws LineRejected {
        String[] nsName = LineContext.namespacedName(LineContext.require(f, "pod"), "pod");
        String createdKey = f.containsKey("podCreationTimestamp") ? "podCreationTimestamp" : "pod.CreationTimestamp";
        String created = f.get(createdKey);
        String running = f.get("observedRunningTime");
        if (created == null && running == null) {
            throw new LineRejected(
                    Reasons.MISSING_FIELD, "fields podCreationTimestamp and observedRunningTime are missing");
        }
        List<LifecycleEvent> events = new ArrayList<>(2);
        if (created != null) {
            Instant t = Times.parseGo(created, createdKey);
            if (!t.equals(Times.GO_ZERO)) {
                events.add(ctx.event(
                        t,
                        Phase.CREATED,
                        nsName[0],
                        nsName[1],
                        null,
                        null,
                        null,
                        "kubelet",
                        null,
                        null,
                        Origin.KUBELET_STARTUP,
                        true));
            }
        }
        if (running != null) {
            Instant t = Times.parseGo(running, "observedRunningTime");
            if (!t.equals(Times.GO_ZERO)) {
                events.add(ctx.event(
                        t,
                        Phase.CONTAINER_STARTED,
                        nsName[0],
                        nsName[1],
                        null,
                        null,
                        ctx.envelope.host(),
                        "kubelet",
                        null,
                        null,
                        Origin.KUBELET_STARTUP,
                        false));
            }
        }
        return events;
    }
}
