package dev.wasmorch.operator.ports;

/** Redis could not be reached or answered with an error; the caller retries later. */
public class PortRegistryUnavailableException extends Exception {
    public PortRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
