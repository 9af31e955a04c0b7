package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.logformat.NativeLine;
import java.util.HashMap;
import java.util.Map;

/**
 * Splits {@code key=value} fields. Two dialects: the native format (strict: every token is a field,
 * keys are unique, bare values use the bare-safe alphabet) and klog's structured values (lenient:
 * tokens without {@code =} and odd bare values are tolerated, as klog prints arbitrary Go values;
 * a repeated key keeps its last value).
 */
final class KeyValues {

    private KeyValues() {}

    /** Native fields from {@code from} to the end of {@code s}. */
    static Map<String, String> parseNative(String s, int from) throws LineRejected {
        return parse(s, from, true);
    }

    /** klog structured values ({@code key="quoted" key=bare}) from {@code from} to the end. */
    static Map<String, String> parseKlog(String s, int from) throws LineRejected {
        return parse(s, from, false);
    }

    private static Map<String, String> parse(String s, int from, boolean strict) throws LineRejected {
        Map<String, String> fields = new HashMap<>();
        int i = from;
        int n = s.length();
        StringBuilder sb = new StringBuilder();
        while (true) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                return fields;
            }
            int eq = i;
            while (eq < n && isKeyChar(s.charAt(eq))) {
                eq++;
            }
            if (eq == i || eq >= n || s.charAt(eq) != '=') {
                int end = indexOfSpace(s, i);
                if (strict) {
                    throw new LineRejected(
                            Reasons.BAD_SYNTAX,
                            "token '" + clip(s.substring(i, end)) + "' at column " + (i + 1) + " is not key=value");
                }
                // Not a field (part of a Go value printed with spaces, e.g. &{ID:... Type:...}).
                i = end;
                continue;
            }
            String key = s.substring(i, eq);
            String value;
            int v = eq + 1;
            if (v < n && s.charAt(v) == '"') {
                sb.setLength(0);
                i = GoQuote.unquote(s, v, sb, key);
                if (strict && i < n && s.charAt(i) != ' ') {
                    throw new LineRejected(
                            Reasons.BAD_QUOTING, "field " + key + ": text right after the closing quote");
                }
                value = sb.toString();
            } else {
                i = indexOfSpace(s, v);
                value = s.substring(v, i);
                if (strict) {
                    checkBare(key, value);
                }
            }
            if (!strict) {
                fields.put(key, value); // klog may repeat a key; the last one wins
            } else if (fields.putIfAbsent(key, value) != null) {
                throw new LineRejected(Reasons.DUPLICATE_FIELD, "field " + key + " appears twice");
            }
        }
    }

    private static void checkBare(String key, String value) throws LineRejected {
        if (value.isEmpty()) {
            throw new LineRejected(
                    Reasons.BAD_QUOTING, "field " + key + ": empty bare value (an empty string is written \"\")");
        }
        if (!NativeLine.isBare(value)) {
            throw new LineRejected(
                    Reasons.BAD_QUOTING,
                    "field " + key + ": bare value '" + clip(value) + "' has characters that need quoting");
        }
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == '-';
    }

    private static int indexOfSpace(String s, int from) {
        int sp = s.indexOf(' ', from);
        return sp < 0 ? s.length() : sp;
    }

    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
