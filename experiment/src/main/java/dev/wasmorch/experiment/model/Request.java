package dev.wasmorch.experiment.model;

/** A function's experiment request from functions/catalog.json: what every invocation sends. */
public record Request(String method, String path, String query, String body) {

    /** {@code path?query}, or the path alone when the query is empty. */
    public String target() {
        return query.isEmpty() ? path : path + "?" + query;
    }
}
