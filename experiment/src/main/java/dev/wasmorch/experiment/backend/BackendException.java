package dev.wasmorch.experiment.backend;

/** A backend could not do what it was asked; the message says what and why. */
public class BackendException extends Exception {

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
