package dev.wasmorch.shim.task;

/** The app could not start (missing manifest, broken module, ...); the message reaches the user. */
public class WorkloadException extends Exception {
    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
