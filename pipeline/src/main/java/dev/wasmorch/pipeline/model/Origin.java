package dev.wasmorch.pipeline.model;

/**
 * Where an event came from. The order is the order of belief when two events claim the same phase
 * of one pod: a native hook beats a recorded Kubernetes Event, which beats the older formats.
 */
public enum Origin {
    /** A native hook line of contract/log-format.md (patched K3s or the shim). */
    NATIVE,
    /** A recorded Kubernetes Event in the native format ({@code event=KubeEvent}). */
    NATIVE_EVENT,
    /** The 2023 study's {@code ===K3S-CUSTOM-998===} lines. */
    STUDY,
    /** The scheduler's "Successfully bound pod to node" line of an unpatched cluster. */
    SCHEDULER_LOG,
    /** A structured "Event occurred" line of an unpatched cluster. */
    EVENT_LOG,
    /** The kubelet's "Observed pod startup duration" line of an unpatched cluster. */
    KUBELET_STARTUP
}
