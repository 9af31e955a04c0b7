package dev.wasmorch.pipeline.parse;

import dev.wasmorch.contract.lifecycle.GoString;
import dev.wasmorch.contract.lifecycle.MalformedLine;
import dev.wasmorch.contract.lifecycle.NativeLine;
import java.util.HashMap;
import java.util.Map;

/**
 * Splits {@code key=value} fields. Two dialects: the native format (strict, defined and parsed by
 * the contract's {@link NativeLine}) and klog's structured values (lenient: tokens without
 * {@code =} and odd bare values are tolerated, as klog prints arbitrary Go values; a repeated key
 * keeps its last value). Both quote values as Go string literals.
 */
final class KeyValues {

    private KeyValues() {}

    /** Native fields from {@code from} (just after the marker) to the end of {@code s}. */
    static Map<String, String> parseNative(String s, int from) throws LineRejected {
        try {
            return NativeLine.parse(s, from);
        } catch (MalformedLine e) {
            throw new LineRejected(e.reason(), e.getMessage());
        }
    }

    /** klog structured values ({@code key="quoted" key=bare}) from {@code from} to the end. */
    static Map<String, String> parseKlog(String s, int from) throws LineRejected {
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
            int eq = NativeLine.keyEnd(s, i);
            if (eq == i || eq >= n || s.charAt(eq) != '=') {
                // Not a field (part of a Go value printed with spaces, e.g. &{ID:... Type:...}).
                i = indexOfSpace(s, i);
                continue;
            }
            String key = s.substring(i, eq);
            int v = eq + 1;
            if (v < n && s.charAt(v) == '"') {
                sb.setLength(0);
                try {
                    i = GoString.unquote(s, v, sb, key);
                } catch (MalformedLine e) {
                    throw new LineRejected(e.reason(), e.getMessage());
                }
                fields.put(key, sb.toString()); // klog may repeat a key; the last one wins
            } else {
                i = indexOfSpace(s, v);
                fields.put(key, s.substring(v, i));
            }
        }
    }

    private static int indexOfSpace(String s, int from) {
        int sp = s.indexOf(' ', from);
        return sp < 0 ? s.length() : sp;
    }

    static String clip(String s) {
        return MalformedLine.clip(s);
    }
}
