package dev.wasmorch.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * summary.json: the job's counters (absent keys count as 0) and rejects per reason.
 *
 * @param present  the file exists and is a JSON object
 * @param counters top-level numeric counters in file order
 * @param rejected the {@code rejected} object, per reason
 * @param problem  why the file could not be read, or {@code null}
 */
record IngestSummary(boolean present, Map<String, Long> counters, Map<String, Long> rejected, String problem) {

    static IngestSummary read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new IngestSummary(false, Map.of(), Map.of(), null);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            return new IngestSummary(
                    false,
                    Map.of(),
                    Map.of(),
                    "unreadable: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            return new IngestSummary(false, Map.of(), Map.of(), "not a JSON object");
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) {
                counters.put(e.getKey(), e.getValue().asLong());
            } else if (e.getKey().equals("rejected") && e.getValue().isObject()) {
                e.getValue()
                        .fields()
                        .forEachRemaining(
                                r -> rejected.put(r.getKey(), r.getValue().asLong()));
            }
        }
        return new IngestSummary(true, counters, rejected, null);
    }

    long get(String key) {
        return counters.getOrDefault(key, 0L);
    }
}
