package dev.wasmorch.experiment.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;

/**
 * Where a pod stands on its way to Ready, read from its status alone. A pod that failed, restarted
 * or cannot be created is a failure at once, not at the timeout: its timings would no longer be one
 * start's.
 *
 * @param failure why the pod will not become ready, or {@code null}
 * @param waiting what it waits for, for the timeout's message
 */
record PodState(boolean ready, String failure, String waiting) {

    /** Waiting reasons the kubelet does not recover from without a change of the pod. */
    private static final Set<String> HOPELESS = Set.of(
            "ErrImageNeverPull",
            "InvalidImageName",
            "CreateContainerConfigError",
            "CreateContainerError",
            "RunContainerError",
            "CrashLoopBackOff");

    static PodState of(Pod pod, String container) {
        if (pod.getStatus() == null) {
            return new PodState(false, null, "no status yet (not scheduled)");
        }
        var status = pod.getStatus();
        if ("Failed".equals(status.getPhase()) || "Succeeded".equals(status.getPhase())) {
            return new PodState(
                    false, "phase " + status.getPhase() + reason(status.getReason(), status.getMessage()), null);
        }
        ContainerStatus cs = Timeline.containerStatus(pod, container);
        if (cs != null) {
            if (cs.getRestartCount() != null && cs.getRestartCount() > 0) {
                return new PodState(false, "container " + container + " restarted " + cs.getRestartCount() + "×", null);
            }
            var state = cs.getState();
            if (state != null && state.getTerminated() != null) {
                var t = state.getTerminated();
                return new PodState(
                        false,
                        "container " + container + " terminated with exit code " + t.getExitCode()
                                + reason(t.getReason(), t.getMessage()),
                        null);
            }
            if (state != null && state.getWaiting() != null) {
                var w = state.getWaiting();
                String why = "container " + container + " waiting" + reason(w.getReason(), w.getMessage());
                return HOPELESS.contains(w.getReason())
                        ? new PodState(false, why, null)
                        : new PodState(false, null, why);
            }
        }
        boolean ready = status.getConditions() != null
                && status.getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        if (ready) {
            return new PodState(true, null, null);
        }
        return new PodState(
                false, null, status.getPhase() == null ? "no phase yet" : "phase " + status.getPhase() + ", not Ready");
    }

    private static String reason(String reason, String message) {
        String r = reason == null ? "" : " (" + Untrusted.printable(reason) + ")";
        return message == null || message.isEmpty() ? r : r + ": " + Untrusted.printable(message);
    }
}
