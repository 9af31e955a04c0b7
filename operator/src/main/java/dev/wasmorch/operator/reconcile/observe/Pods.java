package dev.wasmorch.operator.reconcile.observe;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/** Reading a pod's state the way the endpoint logic needs it. */
public final class Pods {
    private Pods() {}

    /** The status of the function's container when it runs and the pod is not being deleted. */
    static Optional<ContainerStatus> runningContainer(Pod pod, String container) {
        if (pod.getMetadata().getDeletionTimestamp() != null
                || pod.getStatus() == null
                || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> container.equals(s.getName())
                        && s.getState() != null
                        && s.getState().getRunning() != null)
                .findFirst();
    }

    static boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null
                && pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** {@code podIP:port} of the ready pods, sorted: where a pod-mode Service sends traffic. */
    public static List<String> readyEndpoints(List<Pod> pods, int port) {
        return pods.stream()
                .filter(Pods::ready)
                .filter(p -> p.getStatus().getPodIP() != null)
                .map(p -> p.getStatus().getPodIP() + ":" + port)
                .sorted()
                .toList();
    }

    /** The container ID without its runtime prefix ({@code containerd://4b1c...} becomes {@code 4b1c...}). */
    static String containerId(ContainerStatus status) {
        String id = status.getContainerID();
        if (id == null) {
            return null;
        }
        int sep = id.indexOf("://");
        return sep < 0 ? id : id.substring(sep + 3);
    }
}
