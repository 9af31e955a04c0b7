package dev.wasmorch.pipeline.source;

/** An input the user named cannot be used (missing, unreadable, malformed as a whole). Exit code 2. */
public class InputException extends Exception {
    public InputException(String message) {
        super(message);
    }
}
