package dev.wasmorch.pipeline.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasmorch.pipeline.model.PodMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the fields {@link PodMetadata} needs straight from a Pod's JSON (an item of a snapshot
 * file), as {@link PodConverter} reads them from a fabric8 {@code Pod}. Binding the JSON to
 * fabric8's model first would build Jackson deserializers for all of it, a few hundred classes,
 * which cost the demo analysis about half a second of CPU (docs/benchmarks.md, "pipeline: batch
 * job").
 * Types are checked where the fields are used: a wrong one is an error naming the field.
 */
final class PodJson {

    private PodJson() {}

    static PodMetadata toMetadata(JsonNode pod) {
        JsonNode meta = object(pod, "metadata");
        String name = meta == null ? null : text(meta, "name", "metadata.name");
        if (name == null) {
            throw new IllegalArgumentException("pod without metadata.name");
        }
        JsonNode spec = object(pod, "spec");
        JsonNode owner = controller(meta);
        String namespace = text(meta, "namespace", "metadata.namespace");
        return new PodMetadata(
                text(meta, "uid", "metadata.uid"),
                namespace == null ? "default" : namespace,
                name,
                spec == null ? null : text(spec, "nodeName", "spec.nodeName"),
                spec == null ? null : text(spec, "runtimeClassName", "spec.runtimeClassName"),
                strings(meta, "labels"),
                strings(meta, "annotations"),
                owner == null ? null : text(owner, "kind", "metadata.ownerReferences[].kind"),
                owner == null ? null : text(owner, "name", "metadata.ownerReferences[].name"),
                images(spec),
                PodConverter.parseTime(text(meta, "creationTimestamp", "metadata.creationTimestamp")));
    }

    /** The controlling owner reference, else the first one, else null (as {@link PodConverter}). */
    private static JsonNode controller(JsonNode meta) {
        List<JsonNode> refs = objects(meta, "ownerReferences", "metadata.ownerReferences");
        for (JsonNode r : refs) {
            JsonNode c = r.get("controller");
            if (c != null && !c.isNull() && !c.isBoolean()) {
                throw wrongType("metadata.ownerReferences[].controller", "a boolean", c);
            }
            if (c != null && c.asBoolean()) {
                return r;
            }
        }
        return refs.isEmpty() ? null : refs.get(0);
    }

    private static List<String> images(JsonNode spec) {
        List<String> images = new ArrayList<>();
        for (JsonNode c : spec == null ? List.<JsonNode>of() : objects(spec, "containers", "spec.containers")) {
            String image = text(c, "image", "spec.containers[].image");
            if (image != null) {
                images.add(image);
            }
        }
        return List.copyOf(images);
    }

    /** The object under {@code field}, or null when it is absent or null. */
    private static JsonNode object(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw wrongType(field, "an object", v);
        }
        return v;
    }

    private static List<JsonNode> objects(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType(path, "an array", v);
        }
        List<JsonNode> items = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isObject()) {
                throw wrongType(path + "[]", "an object", item);
            }
            items.add(item);
        }
        return items;
    }

    private static String text(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(path, "a string", v);
        }
        return v.textValue();
    }

    /** A map of strings (labels, annotations), empty when absent. */
    private static Map<String, String> strings(JsonNode meta, String field) {
        JsonNode v = meta.get(field);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw wrongType("metadata." + field, "an object", v);
        }
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw wrongType("metadata." + field + "." + e.getKey(), "a string", e.getValue());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Map.copyOf(out);
    }

    private static IllegalArgumentException wrongType(String path, String expected, JsonNode found) {
        return new IllegalArgumentException(path + " must be " + expected + ", found " + found.getNodeType());
    }
}
