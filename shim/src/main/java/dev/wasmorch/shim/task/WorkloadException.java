package dev.wasmorch.shim.task;

/**
 * A workload that cannot start or cannot take a limit: missing or invalid manifest, unreadable or
 * broken module, a setting out of bounds, bind failure, a memory limit below what a module needs.
 * Both parts reach the user, as {@code reason: message}.
 */
public class WorkloadException extends Exception {

    private final String reason;

    /**
     * @param reason  a short machine-readable cause ({@code missing_manifest}, {@code invalid_manifest},
     *                {@code missing_module}, {@code broken_module}, {@code unsupported_import},
     *                {@code memory_limit}, {@code listen_failed}, {@code invalid_setting})
     * @param message the human-readable message naming the file and field
     */
    public WorkloadException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public WorkloadException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
