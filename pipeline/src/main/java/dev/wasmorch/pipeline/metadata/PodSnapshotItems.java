package dev.wasmorch.pipeline.metadata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.source.InputException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams the pods of a snapshot one at a time, so a snapshot of a million pods never sits in
 * memory whole. Root values follow each other (one document, or JSON lines); each is a Pod or a
 * List whose {@code items} are Pods. Only one item is held at a time: a List's other fields are
 * small, and a lone Pod is small.
 */
public final class PodSnapshotItems implements Closeable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String source;
    private final JsonParser parser;
    private boolean inItems;
    private int itemIndex;
    private ObjectNode rootFields;
    private long rootLine;

    /** @param source the name used in error messages (the file) */
    public PodSnapshotItems(InputStream in, String source) throws IOException {
        this.source = source;
        this.parser = MAPPER.getFactory().createParser(in);
    }

    /** The next pod, or {@code null} at the end. */
    public PodMetadata next() throws InputException {
        try {
            while (true) {
                if (inItems) {
                    JsonToken t = parser.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        inItems = false;
                        continue;
                    }
                    String where = "items[" + itemIndex++ + "]";
                    return convert(MAPPER.readTree(parser), where);
                }
                if (rootFields != null) {
                    PodMetadata pod = continueRoot();
                    if (pod != null) {
                        return pod;
                    }
                    continue; // the items array started, or a List ended
                }
                JsonToken t = parser.nextToken();
                if (t == null) {
                    return null;
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new InputException("pod snapshot " + source + ", line "
                            + parser.currentLocation().getLineNr()
                            + ": expected a JSON object (a Pod or a List of pods), found " + t);
                }
                rootFields = MAPPER.createObjectNode();
                rootLine = parser.currentLocation().getLineNr();
            }
        } catch (IOException e) {
            throw new InputException("pod snapshot " + source + ":"
                    + parser.currentLocation().getLineNr() + ": not valid JSON: " + e.getMessage());
        }
    }

    /**
     * Reads fields of the current root object until its {@code items} array starts (then items
     * are streamed) or the object ends (then it was a lone Pod, returned).
     */
    private PodMetadata continueRoot() throws IOException, InputException {
        while (true) {
            JsonToken t = parser.nextToken();
            if (t == JsonToken.END_OBJECT) {
                ObjectNode root = rootFields;
                rootFields = null;
                if (root.path("items").isArray()) {
                    return null; // a List whose items were streamed already
                }
                return convertRoot(root);
            }
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("items".equals(field) && value == JsonToken.START_ARRAY) {
                rootFields.putArray("items"); // marks the root as a List
                inItems = true;
                itemIndex = 0;
                return null;
            }
            rootFields.set(field, MAPPER.readTree(parser));
        }
    }

    /**
     * A root object that is not a List being streamed must be a Pod: anything else (a Deployment, a
     * List without an items array) would otherwise pass as "no pods" and silently change the results.
     */
    private PodMetadata convertRoot(ObjectNode root) throws InputException {
        String where = "line " + rootLine;
        String kind = root.path("kind").asText("");
        if (kind.endsWith("List")) {
            throw failure(
                    where,
                    "a " + kind + " needs an items array, found "
                            + (root.has("items") ? root.get("items").getNodeType() : "none"));
        }
        if (root.has("items")) {
            throw failure(
                    where,
                    "items must be an array of Pods, found " + root.get("items").getNodeType());
        }
        return convert(root, where); // which refuses any other kind
    }

    private PodMetadata convert(JsonNode node, String where) throws InputException {
        if (!node.isObject()) {
            throw failure(where, "expected a Pod object, found " + node.getNodeType());
        }
        String kind = node.path("kind").asText("Pod");
        if (!kind.equals("Pod")) {
            throw failure(where, "expected a Pod, found kind " + kind);
        }
        try {
            return PodJson.toMetadata(node);
        } catch (IllegalArgumentException e) {
            throw failure(where, e.getMessage());
        }
    }

    private InputException failure(String where, String what) {
        return new InputException("pod snapshot " + source + ", " + where + ": " + what);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
