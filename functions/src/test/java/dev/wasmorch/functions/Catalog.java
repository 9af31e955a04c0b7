package dev.wasmorch.functions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** functions/catalog.json, as the tests, the experiment runner and the benchmarks read it. */
@JsonIgnoreProperties(ignoreUnknown = true)
record Catalog(Map<String, String> types, Map<String, Service> services, List<Function> functions) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Service(String env, String description) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Function(
            String name,
            String type,
            String description,
            Request request,
            List<String> services,
            List<String> allowed_http_hosts) {

        /** The C source's and the binary's name: the function's name with '_' for '-'. */
        String file() {
            return name.replace('-', '_');
        }
    }

    record Request(String method, String path, String query, String body) {}

    static final Path DIR = Path.of(System.getProperty("wasmorch.functions.dir", "."));
    static final Path OUT = Path.of(System.getProperty("wasmorch.functions.out", "target/functions"));

    static Catalog load() {
        try {
            return new ObjectMapper().readValue(DIR.resolve("catalog.json").toFile(), Catalog.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Function function(String name) {
        return functions.stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + name + " in catalog.json"));
    }
}
