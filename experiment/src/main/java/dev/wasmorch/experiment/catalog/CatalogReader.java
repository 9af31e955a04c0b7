package dev.wasmorch.experiment.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.experiment.model.Catalog;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.Request;
import dev.wasmorch.experiment.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads functions/catalog.json, the one place that names the functions: the runner knows no function
 * that the catalog does not list. Strict: a missing or mistyped field stops the run before any pod,
 * with a message naming the file and the field ({@code functions[3].request.method}).
 */
public final class CatalogReader {

    /** A function name becomes pod names, image names and file names: DNS-label characters only. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?");

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD");

    private CatalogReader() {}

    public static Catalog read(Path file) throws CatalogException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new CatalogException(file + ": not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), root);
    }

    static Catalog parse(String source, JsonNode root) throws CatalogException {
        Fields at = new Fields(source);
        if (root == null || !root.isObject()) {
            throw at.error("", "is not a JSON object");
        }
        Map<String, Service> services = new LinkedHashMap<>();
        JsonNode serviceNodes = at.object(root, "services", "services");
        var names = serviceNodes.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            String path = "services." + name;
            services.put(name, new Service(name, at.text(at.object(serviceNodes, name, path), "env", path + ".env")));
        }
        JsonNode functionNodes = root.get("functions");
        if (functionNodes == null || !functionNodes.isArray() || functionNodes.isEmpty()) {
            throw at.error("functions", "must be a non-empty array");
        }
        List<FunctionSpec> functions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < functionNodes.size(); i++) {
            String path = "functions[" + i + "]";
            JsonNode node = functionNodes.get(i);
            if (!node.isObject()) {
                throw at.error(path, "is not an object");
            }
            String name = at.text(node, "name", path + ".name");
            if (!NAME.matcher(name).matches()) {
                throw at.error(path + ".name", "'" + name + "' is not a lower-case DNS label of at most 42 characters");
            }
            if (!seen.add(name)) {
                throw at.error(path + ".name", "'" + name + "' appears twice");
            }
            String type = at.text(node, "type", path + ".type");
            if (!type.equals("M") && !type.equals("R")) {
                throw at.error(path + ".type", "'" + type + "' is neither M nor R");
            }
            functions.add(new FunctionSpec(
                    name,
                    type,
                    request(at, at.object(node, "request", path + ".request"), path + ".request"),
                    serviceNames(at, node, path + ".services", services)));
        }
        return new Catalog(functions, services);
    }

    private static Request request(Fields at, JsonNode node, String path) throws CatalogException {
        String method = at.text(node, "method", path + ".method");
        if (!METHODS.contains(method)) {
            throw at.error(path + ".method", "'" + method + "' is not one of " + METHODS);
        }
        String target = at.text(node, "path", path + ".path");
        if (!target.startsWith("/") || target.contains("?") || target.contains(" ")) {
            throw at.error(path + ".path", "'" + target + "' must start with / and hold no ? or space");
        }
        String query = at.text(node, "query", path + ".query");
        if (query.contains(" ") || query.contains("#")) {
            throw at.error(path + ".query", "'" + query + "' holds a space or #");
        }
        return new Request(method, target, query, at.text(node, "body", path + ".body"));
    }

    private static List<String> serviceNames(Fields at, JsonNode node, String path, Map<String, Service> services)
            throws CatalogException {
        JsonNode list = node.get("services");
        if (list == null || !list.isArray()) {
            throw at.error(path, "must be an array of service names");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isTextual() || !services.containsKey(item.asText())) {
                throw at.error(
                        path + "[" + i + "]", item + " is not one of the catalog's services " + services.keySet());
            }
            names.add(item.asText());
        }
        return names;
    }

    /** Field access that names the field in every error. */
    private record Fields(String source) {
        CatalogException error(String path, String problem) {
            return new CatalogException(source + ": " + (path.isEmpty() ? "" : path + " ") + problem);
        }

        JsonNode object(JsonNode parent, String key, String path) throws CatalogException {
            JsonNode node = parent.get(key);
            if (node == null || !node.isObject()) {
                throw error(path, node == null ? "is missing" : "is not an object");
            }
            return node;
        }

        String text(JsonNode parent, String key, String path) throws CatalogException {
            JsonNode node = parent.get(key);
            if (node == null || !node.isTextual()) {
                throw error(path, node == null ? "is missing" : "is not a string");
            }
            return node.asText();
        }
    }
}
