package dev.wasmorch.pipeline.join;

import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Runtime;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's rule for a pod the metadata did not decide: {@code RUNTIME:MATCHER=VALUE}, or
 * {@code RUNTIME:MATCHER~REGEX} for a regex searched in the value. A label's value is
 * {@code KEY=VALUE} (or {@code KEY=REGEX}).
 *
 * @param text     the rule as written; it names the rule in pods.csv flags and summary.json
 * @param runtime  what a matching pod runs
 * @param field    what the rule looks at
 * @param labelKey the label's key for {@link Field#LABEL}, else {@code null}
 * @param value    the exact value, or {@code null} for a regex
 * @param regex    the regex, or {@code null} for an exact value
 */
public record ClassifyRule(String text, Runtime runtime, Field field, String labelKey, String value, Pattern regex)
        implements Serializable {

    /** What a rule can look at; label and runtimeClass need metadata (runtimeClass also the CRI handler). */
    public enum Field {
        NAMESPACE("namespace"),
        NAME("name"),
        NODE("node"),
        LABEL("label"),
        RUNTIME_CLASS("runtimeClass");

        private final String word;

        Field(String word) {
            this.word = word;
        }

        static Field of(String word) {
            for (Field f : values()) {
                if (f.word.equals(word)) {
                    return f;
                }
            }
            return null;
        }
    }

    /**
     * The pod as a rule sees it; unknown parts are {@code null}.
     *
     * @param runtimeClass spec.runtimeClassName, else the CRI handler from the kubelet's lines
     * @param labels       metadata.labels, empty without metadata
     */
    public record Pod(String namespace, String name, String node, String runtimeClass, Map<String, String> labels) {

        /** What is known of a pod: its metadata (or {@code null}), names and node from the logs, the CRI handler. */
        public static Pod of(PodMetadata meta, String namespace, String name, String node, String handler) {
            if (meta == null) {
                return new Pod(namespace, name, node, handler, Map.of());
            }
            String runtimeClass = meta.runtimeClassName() != null ? meta.runtimeClassName() : handler;
            return new Pod(namespace, name, node, runtimeClass, meta.labels());
        }
    }

    public static final List<String> PRESETS = List.of("study-2023", "wasmorch");

    /** The rules a preset stands for; an unknown name is an {@link IllegalArgumentException} listing the presets. */
    public static List<ClassifyRule> preset(String name) {
        return switch (name) {
            // The 2023 study ran OpenFaaS functions in openfaas-fn and its Spin apps in default.
            case "study-2023" -> List.of(parse("container:namespace=openfaas-fn"), parse("wasm:namespace=default"));
            case "wasmorch" -> List.of(parse("wasm:runtimeClass=wasmorch"));
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' " + PRESETS);
        };
    }

    /** Parses one rule; the message of the {@link IllegalArgumentException} says what is wrong. */
    public static ClassifyRule parse(String text) {
        if (text.contains(";")) {
            throw new IllegalArgumentException("'" + text + "': ';' is not allowed (it separates pods.csv flags)");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not RUNTIME:MATCHER=VALUE");
        }
        Runtime runtime = switch (text.substring(0, colon).toLowerCase(Locale.ROOT)) {
            case "wasm" -> Runtime.WASM;
            case "container" -> Runtime.CONTAINER;
            default ->
                throw new IllegalArgumentException(
                        "'" + text + "': runtime '" + text.substring(0, colon) + "' is neither wasm nor container");
        };
        String rest = text.substring(colon + 1);
        int eq = rest.indexOf('=');
        int tilde = rest.indexOf('~');
        boolean isRegex = tilde >= 0 && (eq < 0 || tilde < eq);
        int op = isRegex ? tilde : eq;
        if (op < 0) {
            throw new IllegalArgumentException("'" + text + "' is not RUNTIME:MATCHER=VALUE or RUNTIME:MATCHER~REGEX");
        }
        Field field = Field.of(rest.substring(0, op));
        if (field == null) {
            throw new IllegalArgumentException("'" + text + "': unknown matcher '" + rest.substring(0, op)
                    + "' (namespace, name, node, label, runtimeClass)");
        }
        String operand = rest.substring(op + 1);
        String labelKey = null;
        if (field == Field.LABEL) {
            int keyEnd = operand.indexOf('=');
            if (keyEnd <= 0) {
                throw new IllegalArgumentException("'" + text + "': a label matcher needs KEY=VALUE");
            }
            labelKey = operand.substring(0, keyEnd);
            operand = operand.substring(keyEnd + 1);
        }
        if (operand.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': the value is empty");
        }
        if (!isRegex) {
            return new ClassifyRule(text, runtime, field, labelKey, operand, null);
        }
        try {
            return new ClassifyRule(text, runtime, field, labelKey, null, Pattern.compile(operand));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + text + "': bad regex: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    public boolean matches(Pod pod) {
        String seen = switch (field) {
            case NAMESPACE -> pod.namespace();
            case NAME -> pod.name();
            case NODE -> pod.node();
            case LABEL -> pod.labels().get(labelKey);
            case RUNTIME_CLASS -> pod.runtimeClass();
        };
        if (seen == null) {
            return false;
        }
        return regex != null ? regex.matcher(seen).find() : value.equals(seen);
    }
}
