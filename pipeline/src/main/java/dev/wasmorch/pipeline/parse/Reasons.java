package dev.wasmorch.pipeline.parse;

import dev.wasmorch.contract.lifecycle.MalformedLine;

/** The reject reasons of pipeline/docs/input-formats.md; those of the native line are the contract's. */
final class Reasons {
    static final String LINE_TOO_LONG = "line_too_long";
    static final String INVALID_UTF8 = MalformedLine.INVALID_UTF8;
    static final String BAD_JSON = "bad_json";
    static final String BAD_VALUE = "bad_value";
    static final String MISSING_FIELD = "missing_field";
    static final String BAD_TIMESTAMP = "bad_timestamp";
    static final String UNKNOWN_EVENT = "unknown_event";
    static final String INTERNAL_ERROR = "internal_error";
    static final String DAMAGED_FILE = "damaged_file";

    private Reasons() {}
}
