package dev.wasmorch.experiment.model;

import java.util.List;

/**
 * One function of functions/catalog.json.
 *
 * @param type {@code M} (micro-benchmark) or {@code R} (calls a backing service)
 * @param services the names of the backing services it needs (keys of the catalog's {@code services})
 */
public record FunctionSpec(String name, String type, Request request, List<String> services) {

    public FunctionSpec {
        services = List.copyOf(services);
    }
}
