package dev.wasmorch.contract.registry;

/**
 * The Redis keys of the port registry (port-registry.md): the shim writes them, the operator reads
 * them. Spelled once here so the two cannot drift apart.
 */
public final class PortKeys {

    /** {@code wasmorch:port:cid:{containerId}}: the registration JSON by container ID. */
    public static final String BY_CONTAINER_ID = "wasmorch:port:cid:";

    /** {@code wasmorch:port:pod:{namespace}/{pod}/{container}}: the same JSON by pod. */
    public static final String BY_POD = "wasmorch:port:pod:";

    /** {@code wasmorch:ports:pod:{namespace}/{pod}}: the SET of the pod's registered container names. */
    public static final String POD_CONTAINERS = "wasmorch:ports:pod:";

    /** The environment variables both sides read the connection from (nothing is compiled in). */
    public static final String URL_ENV = "WASMORCH_REDIS_URL";

    public static final String PASSWORD_ENV = "WASMORCH_REDIS_PASSWORD";

    /** PEM file of the CA certificates a {@code rediss://} server's certificate must chain to. */
    public static final String CA_FILE_ENV = "WASMORCH_REDIS_CA_FILE";

    public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

    private PortKeys() {}

    public static String byContainerId(String containerId) {
        return BY_CONTAINER_ID + containerId;
    }

    public static String byPod(String namespace, String pod, String container) {
        return BY_POD + namespace + "/" + pod + "/" + container;
    }

    public static String podContainers(String namespace, String pod) {
        return POD_CONTAINERS + namespace + "/" + pod;
    }
}
