package dev.wasmorch.pipeline.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmorch.pipeline.model.Count;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * summary.json: the job's counters summed by name, {@code rejected:REASON} counters grouped under
 * {@code rejected}, with the totals of pods and rejects.
 */
public final class SummaryFile {

    public static final String NAME = "summary.json";

    private static final String REJECTED = "rejected";
    private static final String REJECTED_PREFIX = REJECTED + ":";

    /**
     * The file read back.
     *
     * @param present  the file exists and is a JSON object
     * @param counters top-level numeric counters in file order
     * @param rejected the {@code rejected} object, per reason
     * @param problem  why the file could not be read, or {@code null}
     */
    public record Totals(boolean present, Map<String, Long> counters, Map<String, Long> rejected, String problem) {

        /** Pods per {@code --classify} rule that decided them, in file order. */
        public Map<String, Long> classifiedBy() {
            Map<String, Long> byRule = new LinkedHashMap<>();
            counters.forEach((k, v) -> {
                if (k.startsWith(Count.CLASSIFIED_BY)) {
                    byRule.put(k.substring(Count.CLASSIFIED_BY.length()), v);
                }
            });
            return byRule;
        }

        /** A counter; an absent one counts as 0. */
        public long get(String key) {
            return counters.getOrDefault(key, 0L);
        }
    }

    private SummaryFile() {}

    /** The document for a set of counter totals. */
    public static ObjectNode json(Map<String, Long> totals) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode rejected = mapper.createObjectNode();
        long rejectedTotal = 0;
        long pods = 0;
        for (Map.Entry<String, Long> e : new TreeMap<>(totals).entrySet()) {
            if (e.getKey().startsWith(REJECTED_PREFIX)) {
                rejected.put(e.getKey().substring(REJECTED_PREFIX.length()), e.getValue());
                rejectedTotal += e.getValue();
            } else {
                root.put(e.getKey(), e.getValue());
            }
            if (e.getKey().equals("pods_complete") || e.getKey().equals("pods_incomplete")) {
                pods += e.getValue();
            }
        }
        root.put("pods_total", pods);
        root.put("rejected_total", rejectedTotal);
        root.set(REJECTED, rejected);
        return root;
    }

    public static Totals read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new Totals(false, Map.of(), Map.of(), null);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            return new Totals(
                    false,
                    Map.of(),
                    Map.of(),
                    "unreadable: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            return new Totals(false, Map.of(), Map.of(), "not a JSON object");
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) {
                counters.put(e.getKey(), e.getValue().asLong());
            } else if (e.getKey().equals(REJECTED) && e.getValue().isObject()) {
                e.getValue()
                        .fields()
                        .forEachRemaining(
                                r -> rejected.put(r.getKey(), r.getValue().asLong()));
            }
        }
        return new Totals(true, counters, rejected, null);
    }
}
