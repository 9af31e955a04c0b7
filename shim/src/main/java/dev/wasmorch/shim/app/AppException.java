package dev.wasmorch.shim.app;

/**
 * An app that cannot start: missing or invalid manifest, unreadable or broken module, a setting out of
 * bounds, bind failure.
 */
public class AppException extends Exception {

    private final String reason;

    /**
     * @param reason  a short machine-readable cause ({@code missing_manifest}, {@code invalid_manifest},
     *                {@code missing_module}, {@code broken_module}, {@code unsupported_import},
     *                {@code listen_failed}, {@code invalid_setting})
     * @param message the human-readable message naming the file and field
     */
    public AppException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AppException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
