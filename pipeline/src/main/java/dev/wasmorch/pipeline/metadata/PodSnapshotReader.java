package dev.wasmorch.pipeline.metadata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.source.InputException;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads pod metadata from a file, because the pods of a past experiment are usually gone from the
 * API. Accepts {@code kubectl get pods -A -o json} (a List), a single Pod, and JSON lines of pods
 * (the streaming job's archive), plain or gzipped. A pod item that cannot be converted is an error
 * naming the file and the item: metadata is the ground truth for classification, so a silently
 * skipped pod would silently change the results.
 */
public final class PodSnapshotReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PodSnapshotReader() {}

    public static List<PodMetadata> read(Path file) throws InputException {
        if (!Files.isReadable(file)) {
            throw new InputException("pod snapshot " + file + " does not exist or is not readable");
        }
        try (InputStream in = open(file)) {
            byte[] bytes = in.readAllBytes();
            int first = firstNonBlank(bytes);
            if (first < 0) {
                return List.of();
            }
            if (looksLikeJsonLines(bytes)) {
                return readJsonLines(file, bytes);
            }
            JsonNode root = MAPPER.readTree(bytes);
            return fromNode(file, root, "document");
        } catch (IOException e) {
            throw new InputException("pod snapshot " + file + " is not valid JSON: " + e.getMessage());
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
    }

    private static List<PodMetadata> fromNode(Path file, JsonNode root, String where) throws InputException {
        List<PodMetadata> out = new ArrayList<>();
        if (root.has("items")) {
            JsonNode items = root.get("items");
            for (int i = 0; i < items.size(); i++) {
                out.add(convert(file, items.get(i), "items[" + i + "]"));
            }
        } else {
            out.add(convert(file, root, where));
        }
        return out;
    }

    private static List<PodMetadata> readJsonLines(Path file, byte[] bytes) throws InputException {
        List<PodMetadata> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = MAPPER.readTree(line);
                } catch (IOException e) {
                    throw new InputException(file + ":" + no + ": not valid JSON: " + e.getMessage());
                }
                out.addAll(fromNode(file, node, "line " + no));
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }

    private static PodMetadata convert(Path file, JsonNode node, String where) throws InputException {
        try {
            Pod pod = MAPPER.treeToValue(node, Pod.class);
            return PodConverter.toMetadata(pod);
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException("pod snapshot " + file + ", " + where + ": " + e.getMessage());
        }
    }

    /** JSON lines when the first value ends before the end of the file and another one follows. */
    private static boolean looksLikeJsonLines(byte[] bytes) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(bytes)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() != null && p.currentToken() == JsonToken.START_OBJECT;
        } catch (IOException e) {
            return false;
        }
    }

    private static int firstNonBlank(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (!Character.isWhitespace(bytes[i])) {
                return i;
            }
        }
        return -1;
    }
}
