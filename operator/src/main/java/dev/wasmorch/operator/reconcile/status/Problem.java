package dev.wasmorch.operator.reconcile.status;

/**
 * Why a WasmApp is degraded: the Degraded condition's reason and message.
 *
 * @param retry whether the operator retries with backoff (registry trouble) rather than waiting for
 *     a change of the spec or of a watched object
 */
public record Problem(String reason, String message, boolean retry) {
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String RUNTIME_CLASS_NOT_FOUND = "RuntimeClassNotFound";
    public static final String RUNTIME_CLASS_NOT_WASM = "RuntimeClassNotWasm";
    public static final String PORT_REGISTRY_UNAVAILABLE = "PortRegistryUnavailable";
    public static final String PORT_NOT_REGISTERED = "PortNotRegistered";
    public static final String INVALID_PORT_REGISTRATION = "InvalidPortRegistration";
    /** Well-formed, but not the shim's answer for the pod: another IP or another pod (see RegistrationTrust). */
    public static final String PORT_REGISTRATION_REFUSED = "PortRegistrationRefused";

    public static final String RECONCILE_ERROR = "ReconcileError";

    /** A value as a message shows it: quoted, or "nothing" when absent. */
    public static String quote(String s) {
        return s == null ? "nothing" : '"' + s + '"';
    }
}
