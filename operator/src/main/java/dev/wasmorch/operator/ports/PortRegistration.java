package dev.wasmorch.operator.ports;

/**
 * One port the shim published in Redis (contract/port-registry.md), well-formed but not yet trusted:
 * whoever can write to Redis can write this, so the operator checks it against the pod it names
 * before using it (see {@code RegistrationTrust}).
 *
 * @param key the Redis key it was read from, named in status messages
 * @param port the TCP port the shim listens on, 1..65535
 * @param hostIp the IP literal the shim says it listens on; null when the shim did not say
 * @param namespace the pod's namespace as the shim saw it, or null
 * @param pod the pod's name as the shim saw it, or null (tasks not started through CRI)
 * @param container the container's name, or null
 * @param containerId the runtime's container ID, or null
 */
public record PortRegistration(
        String key, int port, String hostIp, String namespace, String pod, String container, String containerId) {}
