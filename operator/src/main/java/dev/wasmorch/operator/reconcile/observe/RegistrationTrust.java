package dev.wasmorch.operator.reconcile.observe;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.ports.PortRegistration;
import dev.wasmorch.operator.ports.PortRegistry;
import dev.wasmorch.operator.reconcile.status.Problem;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a well-formed registration may be published for a pod. Whoever can write to Redis can
 * write one, and a published slice sends the Service's traffic wherever it points; so it is used
 * only as the shim's answer for this very pod: the pod carries the labels the operator gives the
 * app's pods (the informer lists only those, this makes it explicit), the registration names no
 * other pod or container than the one it was read for, and its IP is a host IP the Kubernetes API
 * reports for the pod ({@code status.hostIP(s)}, set by the kubelet, not by anything in Redis).
 * What a Redis writer can still choose is the port on that node; Redis ACLs (README) close that.
 */
final class RegistrationTrust {
    /**
     * @param address the IP to publish: the registered one, or the pod's host IP when the shim gave none
     */
    record Verdict(String address, String refusal) {
        boolean refused() {
            return refusal != null;
        }
    }

    private RegistrationTrust() {}

    static Verdict check(WasmApp app, Pod pod, ContainerStatus container, PortRegistration registration) {
        String podRef =
                pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        String key = registration.key();
        Map<String, String> labels = pod.getMetadata().getLabels() == null
                ? Map.of()
                : pod.getMetadata().getLabels();
        if (!Objects.equals(pod.getMetadata().getNamespace(), app.getMetadata().getNamespace())
                || !labels.entrySet().containsAll(Labels.selector(app).entrySet())) {
            return refuse("pod " + podRef + " does not carry the labels of WasmApp "
                    + app.getMetadata().getName() + "; Redis key " + key + " is not used");
        }
        Optional<String> other = otherTarget(registration, pod, container);
        if (other.isPresent()) {
            return refuse("Redis key " + key + " was read for pod " + podRef + " but names " + other.get());
        }
        List<String> hostIps = hostIps(pod);
        if (hostIps.isEmpty()) {
            return refuse("pod " + podRef + " reports no host IP yet, so Redis key " + key + " cannot be checked");
        }
        if (registration.hostIp() == null) {
            return new Verdict(hostIps.get(0), null);
        }
        if (hostIps.stream().noneMatch(ip -> sameAddress(ip, registration.hostIp()))) {
            return refuse("Redis key " + key + ": hostIp " + registration.hostIp() + " is not a host IP of pod "
                    + podRef + " (" + String.join(", ", hostIps) + ")");
        }
        return new Verdict(registration.hostIp(), null);
    }

    private static Verdict refuse(String why) {
        return new Verdict(null, why);
    }

    /** The first field in which the registration names another target, as "field value", if any. */
    private static Optional<String> otherTarget(PortRegistration r, Pod pod, ContainerStatus container) {
        if (r.namespace() != null && !r.namespace().equals(pod.getMetadata().getNamespace())) {
            return Optional.of("namespace " + Problem.quote(r.namespace()));
        }
        if (r.pod() != null && !r.pod().equals(pod.getMetadata().getName())) {
            return Optional.of("pod " + Problem.quote(r.pod()));
        }
        if (r.container() != null && !r.container().equals(container.getName())) {
            return Optional.of("container " + Problem.quote(r.container()));
        }
        if (r.containerId() != null && !r.containerId().equals(Pods.containerId(container))) {
            return Optional.of("container ID " + Problem.quote(r.containerId()));
        }
        return Optional.empty();
    }

    /** status.hostIP first, then the others of a dual-stack node (status.hostIPs); IP literals only. */
    private static List<String> hostIps(Pod pod) {
        List<String> ips = new ArrayList<>();
        if (pod.getStatus() == null) {
            return ips;
        }
        if (pod.getStatus().getHostIP() != null) {
            ips.add(pod.getStatus().getHostIP());
        }
        if (pod.getStatus().getHostIPs() != null) {
            pod.getStatus().getHostIPs().stream()
                    .map(HostIP::getIp)
                    .filter(ip -> ip != null && !ips.contains(ip))
                    .forEach(ips::add);
        }
        ips.removeIf(ip -> !PortRegistry.isIpLiteral(ip));
        return ips;
    }

    /** Equal addresses however written (fd00::12 and fd00:0:0::12); both are literals, so nothing is resolved. */
    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
