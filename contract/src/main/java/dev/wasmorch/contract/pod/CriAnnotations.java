package dev.wasmorch.contract.pod;

/**
 * The annotations containerd's CRI plugin puts on a container's OCI spec: how a shim learns which
 * pod a task belongs to (the task API itself does not say).
 */
public final class CriAnnotations {

    /** {@value #SANDBOX} for the pod's sandbox (pause) task, {@code container} for an app. */
    public static final String CONTAINER_TYPE = "io.kubernetes.cri.container-type";

    public static final String SANDBOX = "sandbox";
    public static final String SANDBOX_NAMESPACE = "io.kubernetes.cri.sandbox-namespace";
    public static final String SANDBOX_NAME = "io.kubernetes.cri.sandbox-name";
    public static final String SANDBOX_UID = "io.kubernetes.cri.sandbox-uid";
    public static final String CONTAINER_NAME = "io.kubernetes.cri.container-name";
    /** On an app container: the ID of its pod's sandbox task (whose network namespace is the pod's). */
    public static final String SANDBOX_ID = "io.kubernetes.cri.sandbox-id";

    private CriAnnotations() {}
}
