package dev.wasmorch.pipeline.parse;

/**
 * Thrown inside the parser when a line of interest cannot be used; {@link LineParser} turns it into
 * a {@link dev.wasmorch.pipeline.model.Reject}. Stackless: it is control flow, not a bug report.
 */
final class LineRejected extends Exception {

    private final String reason;

    LineRejected(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }

    String detail() {
        return getMessage();
    }
}
