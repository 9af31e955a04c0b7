package dev.wasmorch.pipeline.join;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --classify-rules} file: YAML with a {@code rules} list, each item a rule in the flag's
 * grammar or {@code preset: NAME}, in order:
 *
 * <pre>
 * rules:
 *   - container:node=worker-2
 *   - preset: study-2023
 * </pre>
 *
 * Read with a streaming parser so that an error names the line of the item at fault.
 */
public final class ClassifyRulesFile {

    private ClassifyRulesFile() {}

    /** The rules, presets expanded; an {@link IllegalArgumentException} names the line and what is wrong. */
    public static List<ClassifyRule> read(Path file) throws IOException {
        try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw problem(p, "expected a mapping with a 'rules' list");
            }
            List<ClassifyRule> rules = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (!p.currentName().equals("rules")) {
                    throw problem(p, "unknown field '" + p.currentName() + "' (only 'rules')");
                }
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw problem(p, "'rules' must be a list");
                }
                rules = items(p);
            }
            if (rules == null) {
                throw problem(p, "no 'rules' list");
            }
            return rules;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("not YAML"));
        }
    }

    private static List<ClassifyRule> items(JsonParser p) throws IOException {
        List<ClassifyRule> rules = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
                try {
                    rules.add(ClassifyRule.parse(p.getText()));
                } catch (IllegalArgumentException e) {
                    throw problem(p, e.getMessage());
                }
            } else if (t == JsonToken.START_OBJECT) {
                if (p.nextToken() != JsonToken.FIELD_NAME || !p.currentName().equals("preset")) {
                    throw problem(p, "an item is a rule or 'preset: NAME'");
                }
                p.nextToken();
                try {
                    rules.addAll(ClassifyRule.preset(p.getText()));
                } catch (IllegalArgumentException e) {
                    throw problem(p, "preset: " + e.getMessage());
                }
                if (p.nextToken() != JsonToken.END_OBJECT) {
                    throw problem(p, "a preset item has the one field 'preset'");
                }
            } else {
                throw problem(p, "an item is a rule or 'preset: NAME'");
            }
        }
        return rules;
    }

    private static IllegalArgumentException problem(JsonParser p, String what) {
        return new IllegalArgumentException("line " + p.currentTokenLocation().getLineNr() + ": " + what);
    }
}
