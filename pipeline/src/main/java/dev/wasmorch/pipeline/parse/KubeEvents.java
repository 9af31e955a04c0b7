package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.Phase;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reason table of contract/log-format.md that turns a recorded Kubernetes Event into a phase. One
 * table serves native {@code KubeEvent} lines, the 2023 study's lines and "Event occurred" lines.
 */
final class KubeEvents {

    /** What a mapped Event says: the phase, its pod and what else the Event tells. */
    record Mapped(Phase phase, String pod, String container, String node, String component) {}

    private static final Set<String> POD_OWNERS =
            Set.of("ReplicaSet", "Job", "DaemonSet", "StatefulSet", "ReplicationController");

    // ReplicaSet, Job, DaemonSet and ReplicationController: "Created pod: NAME";
    // StatefulSet: "create Pod NAME in StatefulSet SET successful".
    private static final Pattern CREATED_POD =
            Pattern.compile("^(?:Created pod: (\\S+)|create Pod (\\S+) in StatefulSet \\S+ successful)$");
    private static final Pattern ASSIGNED = Pattern.compile("^Successfully assigned \\S+ to (\\S+)$");
    private static final Pattern CONTAINER_MSG = Pattern.compile("^(?:Created|Started|Stopping) container:? (\\S+)");
    private static final Pattern FIELD_PATH =
            Pattern.compile("^spec\\.(?:initContainers|containers|ephemeralContainers)\\{([^}]+)\\}$");

    private KubeEvents() {}

    /**
     * Maps an Event; {@code null} when its reason (or the kind it is about) makes no phase.
     *
     * @param kind       the involved object's kind, or null when the line does not say (study)
     * @param objectName the involved object's name
     * @param msgField   the name of the message field in this format (for reject details)
     */
    static Mapped map(String reason, String kind, String objectName, String message, String fieldPath, String msgField)
            throws LineRejected {
        boolean onPod = kind == null || kind.equals("Pod");
        switch (reason) {
            case "SuccessfulCreate" -> {
                if (kind != null && !POD_OWNERS.contains(kind) && !onPod) {
                    return null; // e.g. a CronJob creating a Job
                }
                String pod = createdPod(message);
                if (pod == null) {
                    if (kind != null && !onPod) {
                        throw new LineRejected(
                                Reasons.MISSING_FIELD,
                                "field " + msgField
                                        + ": no pod name in SuccessfulCreate message '"
                                        + KeyValues.clip(nullToEmpty(message))
                                        + "' (expected 'Created pod: NAME')");
                    }
                    pod = objectName; // the study's recorder names the pod itself
                }
                return new Mapped(Phase.CREATED, pod, null, null, "kube-controller-manager");
            }
            case "Scheduled" -> {
                if (!onPod) {
                    return null;
                }
                String node = null;
                if (message != null) {
                    Matcher m = ASSIGNED.matcher(message);
                    if (m.matches()) {
                        node = m.group(1);
                    }
                }
                return new Mapped(Phase.SCHEDULED, objectName, null, node, "kube-scheduler");
            }
            case "Created", "Started", "Killing" -> {
                if (!onPod) {
                    return null;
                }
                Phase phase = switch (reason) {
                    case "Created" -> Phase.CONTAINER_CREATED;
                    case "Started" -> Phase.CONTAINER_STARTED;
                    default -> Phase.DELETED;
                };
                return new Mapped(phase, objectName, container(fieldPath, message), null, "kubelet");
            }
            default -> {
                return null;
            }
        }
    }

    private static String createdPod(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = CREATED_POD.matcher(message);
        if (!m.matches()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private static String container(String fieldPath, String message) {
        if (fieldPath != null) {
            Matcher m = FIELD_PATH.matcher(fieldPath);
            if (m.matches()) {
                return m.group(1);
            }
        }
        if (message != null) {
            Matcher m = CONTAINER_MSG.matcher(message);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
