package dev.wasmorch.operator.reconcile;

/**
 * Why a WasmApp is degraded: the Degraded condition's reason and message.
 *
 * @param retry whether the operator retries with backoff (registry trouble) rather than waiting for
 *     a change of the spec or of a watched object
 */
record Problem(String reason, String message, boolean retry) {
    static final String INVALID_SPEC = "InvalidSpec";
    static final String RUNTIME_CLASS_NOT_FOUND = "RuntimeClassNotFound";
    static final String RUNTIME_CLASS_NOT_WASM = "RuntimeClassNotWasm";
    static final String PORT_REGISTRY_UNAVAILABLE = "PortRegistryUnavailable";
    static final String PORT_NOT_REGISTERED = "PortNotRegistered";
    static final String INVALID_PORT_REGISTRATION = "InvalidPortRegistration";
    /** Well-formed, but not the shim's answer for the pod: another IP or another pod (see RegistrationTrust). */
    static final String PORT_REGISTRATION_REFUSED = "PortRegistrationRefused";

    static final String RECONCILE_ERROR = "ReconcileError";
}
