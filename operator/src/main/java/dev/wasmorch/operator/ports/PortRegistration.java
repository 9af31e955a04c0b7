package dev.wasmorch.operator.ports;

/**
 * One port the shim published in Redis (docs/port-registry.md), already validated.
 *
 * @param key the Redis key it was read from, named in status messages
 * @param port the TCP port the shim listens on, 1..65535
 * @param hostIp the IP literal other nodes reach the shim on; null when the shim did not say
 */
public record PortRegistration(String key, int port, String hostIp) {}
