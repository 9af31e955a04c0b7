package dev.wasmorch.shim.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmorch.contract.registry.PortFields;
import dev.wasmorch.contract.registry.PortKeys;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * One app's listening port as published in Redis (contract/port-registry.md).
 *
 * @param port        the listening TCP port
 * @param containerId containerd's container ID
 * @param namespace   the pod's namespace, or {@code null} (plain {@code ctr run})
 * @param pod         the pod name, or {@code null}
 * @param container   the container name, or {@code null}
 * @param node        the node name
 * @param hostIp      the address other nodes reach the port on
 */
public record PortRegistration(
        int port, String containerId, String namespace, String pod, String container, String node, String hostIp) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** {@code wasmorch:port:cid:{containerId}}. */
    public String cidKey() {
        return PortKeys.byContainerId(containerId);
    }

    /** {@code wasmorch:port:pod:{namespace}/{pod}/{container}}, when the CRI named the pod. */
    public Optional<String> podKey() {
        return hasPod() ? Optional.of(PortKeys.byPod(namespace, pod, container)) : Optional.empty();
    }

    /** {@code wasmorch:ports:pod:{namespace}/{pod}}: the set of the pod's registered container names. */
    public Optional<String> setKey() {
        return hasPod() ? Optional.of(PortKeys.podContainers(namespace, pod)) : Optional.empty();
    }

    private boolean hasPod() {
        return namespace != null && pod != null && container != null;
    }

    /** The registration JSON, stamped with {@code updated} and the {@code shim} that wrote it. */
    public String toJson(Instant updated, String shim) {
        ObjectNode o = JSON.createObjectNode();
        o.put(PortFields.PORT, port);
        o.put(PortFields.CONTAINER_ID, containerId);
        o.put(PortFields.NAMESPACE, namespace);
        o.put(PortFields.POD, pod);
        o.put(PortFields.CONTAINER, container);
        o.put(PortFields.NODE, node);
        o.put(PortFields.HOST_IP, hostIp);
        o.put(PortFields.SHIM, shim);
        o.put(PortFields.UPDATED, TS.format(updated));
        return o.toString();
    }

    /** For log lines: the marker-free identity of this registration. */
    @Override
    public String toString() {
        return "port " + port + " of container " + containerId
                + podKey().map(k -> " (" + k.substring(PortKeys.BY_POD.length()) + ")")
                        .orElse("");
    }
}
