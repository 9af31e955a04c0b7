package dev.wasmorch.experiment.kubernetes;

import dev.wasmorch.experiment.model.PodTimings;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A pod's start as the Kubernetes API tells it, in microseconds since the epoch. The API's
 * resolution is what it is: {@code metadata.creationTimestamp}, the conditions'
 * {@code lastTransitionTime} and {@code startedAt} are {@code metav1.Time}, whole seconds on the wire;
 * only an Event's {@code eventTime} ({@code metav1.MicroTime}) carries microseconds, and the kubelet's
 * own events leave it empty (they have {@code firstTimestamp}, seconds). The µs timeline comes from
 * the patched K3s's lifecycle log ({@code collect}).
 *
 * <ul>
 *   <li>created: {@code metadata.creationTimestamp} (the API server accepted the pod)
 *   <li>sandbox ready: the {@code PodReadyToStartContainers} condition (before Kubernetes 1.29
 *       {@code PodHasNetwork}); for a pod with init containers without it, {@code Initialized}. A pod
 *       without init containers is Initialized before its sandbox exists, so that is not used
 *   <li>container created: the kubelet's {@code Created} event of the container
 *   <li>started: the container's {@code state.running.startedAt}
 *   <li>ready: the {@code Ready} condition turning True
 * </ul>
 *
 * Every time is checked: a value that is no RFC 3339 time, or lies outside the window the pod can
 * have lived in (with an hour's slack for clock skew between nodes and the runner), is an error
 * naming the pod and the field, rather than a number in the results.
 */
final class Timeline {

    /** Clocks of the API server, the nodes and the runner may differ this much and no more. */
    static final Duration SKEW = Duration.ofHours(1);

    private final String pod;
    private final Instant earliest;
    private final Instant latest;

    /**
     * @param requested when the runner asked for the pod (its clock)
     * @param now now (its clock)
     */
    Timeline(String pod, Instant requested, Instant now) {
        this.pod = pod;
        this.earliest = requested.minus(SKEW);
        this.latest = now.plus(SKEW);
    }

    /** A timestamp outside the API's grammar or outside the pod's window. */
    static final class BadTime extends Exception {
        BadTime(String message) {
            super(message);
        }
    }

    PodTimings of(Pod p, List<Event> events, String container) throws BadTime {
        PodTimings t = PodTimings.NONE;
        if (p.getMetadata() != null) {
            Long created = time("metadata.creationTimestamp", p.getMetadata().getCreationTimestamp());
            if (created != null) {
                t = t.withCreated(created);
            }
        }
        if (p.getStatus() == null) {
            return t;
        }
        List<PodCondition> conditions = p.getStatus().getConditions() == null
                ? List.of()
                : p.getStatus().getConditions();
        Long sandbox = condition(conditions, "PodReadyToStartContainers");
        if (sandbox == null) {
            sandbox = condition(conditions, "PodHasNetwork");
        }
        boolean inits = p.getSpec() != null
                && p.getSpec().getInitContainers() != null
                && !p.getSpec().getInitContainers().isEmpty();
        if (sandbox == null && inits) {
            sandbox = condition(conditions, "Initialized");
        }
        if (sandbox != null) {
            t = t.withSandboxReady(sandbox);
        }
        Long createdEvent = createdEvent(events, container);
        if (createdEvent != null) {
            t = t.withContainerCreated(createdEvent);
        }
        ContainerStatus cs = containerStatus(p, container);
        if (cs != null && cs.getState() != null && cs.getState().getRunning() != null) {
            Long started = time(
                    "status.containerStatuses[" + container + "].state.running.startedAt",
                    cs.getState().getRunning().getStartedAt());
            if (started != null) {
                t = t.withStarted(started);
            }
        }
        Long ready = condition(conditions, "Ready");
        if (ready != null) {
            t = t.withReady(ready);
        }
        return t;
    }

    static ContainerStatus containerStatus(Pod p, String container) {
        if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return p.getStatus().getContainerStatuses().stream()
                .filter(c -> container.equals(c.getName()))
                .findFirst()
                .orElse(null);
    }

    /** The True transition of a condition, or null while it is not True. */
    private Long condition(List<PodCondition> conditions, String type) throws BadTime {
        for (PodCondition c : conditions) {
            if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
                return time("status.conditions[" + type + "].lastTransitionTime", c.getLastTransitionTime());
            }
        }
        return null;
    }

    private Long createdEvent(List<Event> events, String container) throws BadTime {
        String fieldPath = "spec.containers{" + container + "}";
        for (Event e : events) {
            if ("Created".equals(e.getReason())
                    && e.getInvolvedObject() != null
                    && fieldPath.equals(e.getInvolvedObject().getFieldPath())) {
                if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
                    return time("event Created eventTime", e.getEventTime().getTime());
                }
                return time("event Created firstTimestamp", e.getFirstTimestamp());
            }
        }
        return null;
    }

    private Long time(String field, String value) throws BadTime {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadTime(
                    "pod " + pod + ": " + field + " '" + Untrusted.printable(value) + "' is not an RFC 3339 time");
        }
        if (at.isBefore(earliest) || at.isAfter(latest)) {
            throw new BadTime("pod " + pod + ": " + field + " " + at + " lies outside the pod's life (" + earliest
                    + " .. " + latest + ", the run's clock ± " + SKEW.toHours() + " h)");
        }
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
    }
}
