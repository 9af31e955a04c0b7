package dev.wasmorch.operator.ports;

/** A registration in Redis is not the JSON docs/port-registry.md describes; the message names the key. */
public class InvalidPortRegistrationException extends Exception {
    public InvalidPortRegistrationException(String message) {
        super(message);
    }
}
