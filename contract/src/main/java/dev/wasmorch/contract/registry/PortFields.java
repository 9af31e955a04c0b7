package dev.wasmorch.contract.registry;

/** The fields of the registration JSON (port-registry.md), written by the shim, validated by the operator. */
public final class PortFields {

    public static final String PORT = "port";
    public static final String CONTAINER_ID = "containerId";
    public static final String NAMESPACE = "namespace";
    public static final String POD = "pod";
    public static final String CONTAINER = "container";
    public static final String NODE = "node";
    public static final String HOST_IP = "hostIp";
    /**
     * The shim daemon that wrote it: {@code {node}:{daemon socket}}, one per node, containerd and
     * namespace. A daemon that starts removes the entries its crashed predecessor left.
     */
    public static final String SHIM = "shim";
    /** RFC 3339 UTC with microseconds. */
    public static final String UPDATED = "updated";

    private PortFields() {}
}
