package dev.wasmorch.experiment.model;

import java.util.List;
import java.util.Map;

/** functions/catalog.json as the runner uses it: the functions in catalog order and the services. */
public record Catalog(List<FunctionSpec> functions, Map<String, Service> services) {

    public Catalog {
        functions = List.copyOf(functions);
        services = Map.copyOf(services);
    }

    public List<String> names() {
        return functions.stream().map(FunctionSpec::name).toList();
    }
}
