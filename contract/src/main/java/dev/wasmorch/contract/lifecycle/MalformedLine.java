package dev.wasmorch.contract.lifecycle;

/**
 * A native line (or a Go string literal in it) that does not follow log-format.md. The reason is
 * one of the reject reasons the analyzer counts and documents. Stackless: it is control flow.
 */
public final class MalformedLine extends Exception {

    public static final String BAD_SYNTAX = "bad_syntax";
    public static final String BAD_QUOTING = "bad_quoting";
    public static final String DUPLICATE_FIELD = "duplicate_field";
    public static final String INVALID_UTF8 = "invalid_utf8";

    private final String reason;

    public MalformedLine(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** A value shortened for a message: at most 40 characters and an ellipsis. */
    public static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
