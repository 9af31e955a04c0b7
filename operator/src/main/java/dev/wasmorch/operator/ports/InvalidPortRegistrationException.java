package dev.wasmorch.operator.ports;

/** A registration in Redis is not the JSON contract/port-registry.md describes; the message names the key. */
public class InvalidPortRegistrationException extends Exception {
    public InvalidPortRegistrationException(String message) {
        super(message);
    }
}
