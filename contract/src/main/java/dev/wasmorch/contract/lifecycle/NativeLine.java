package dev.wasmorch.contract.lifecycle;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The native lifecycle line of log-format.md, both ways: the shim, the demo generator and tests
 * write through {@link #of}, the analyzer reads the fields back with {@link #parse}, so writer and
 * reader follow one definition.
 */
public final class NativeLine {

    /** The marker that starts every native event. */
    public static final String MARKER = "WASMORCH-LIFECYCLE/1";

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final StringBuilder sb = new StringBuilder(160);

    private NativeLine(Instant ts, String event) {
        sb.append(MARKER);
        field("ts", TS.format(ts));
        field("event", event);
    }

    /** Starts a line with the required {@code ts} (microseconds, UTC) and {@code event}. */
    public static NativeLine of(Instant ts, String event) {
        return new NativeLine(ts, event);
    }

    /** Adds a field; a {@code null} value is left out. */
    public NativeLine field(String key, String value) {
        if (value != null) {
            sb.append(' ').append(key).append('=');
            appendValue(sb, value);
        }
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /** The characters a bare value may hold (one table lookup per character: the parser checks every value). */
    private static final boolean[] BARE = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            BARE[c] = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '/'
                    || c == '@'
                    || c == '+'
                    || c == ','
                    || c == '-';
        }
    }

    /** Bare-safe: non-empty and only {@code A-Z a-z 0-9 . _ : / @ + , -}. */
    public static boolean isBare(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= 128 || !BARE[c]) {
                return false;
            }
        }
        return true;
    }

    /** Appends the value bare when safe, else quoted as Go's strconv.Quote would. */
    static void appendValue(StringBuilder out, String v) {
        if (isBare(v)) {
            out.append(v);
        } else {
            GoString.quote(out, v);
        }
    }

    /**
     * The fields of a native line from {@code from} (just after the marker) to the end: every token
     * is {@code key=value}, keys are unique, bare values use the bare-safe alphabet, quoted values
     * are Go string literals.
     */
    public static Map<String, String> parse(String s, int from) throws MalformedLine {
        if (from < s.length() && s.charAt(from) != ' ') {
            throw new MalformedLine(MalformedLine.BAD_SYNTAX, "marker " + MARKER + " not followed by a space");
        }
        Map<String, String> fields = new HashMap<>();
        StringBuilder sb = new StringBuilder();
        int i = from;
        int n = s.length();
        while (true) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                return fields;
            }
            int eq = keyEnd(s, i);
            if (eq == i || eq >= n || s.charAt(eq) != '=') {
                throw new MalformedLine(
                        MalformedLine.BAD_SYNTAX,
                        "token '" + MalformedLine.clip(s.substring(i, indexOfSpace(s, i))) + "' at column " + (i + 1)
                                + " is not key=value");
            }
            String key = s.substring(i, eq);
            String value;
            int v = eq + 1;
            if (v < n && s.charAt(v) == '"') {
                sb.setLength(0);
                i = GoString.unquote(s, v, sb, key);
                if (i < n && s.charAt(i) != ' ') {
                    throw new MalformedLine(
                            MalformedLine.BAD_QUOTING, "field " + key + ": text right after the closing quote");
                }
                value = sb.toString();
            } else {
                i = indexOfSpace(s, v);
                value = s.substring(v, i);
                checkBare(key, value);
            }
            if (fields.putIfAbsent(key, value) != null) {
                throw new MalformedLine(MalformedLine.DUPLICATE_FIELD, "field " + key + " appears twice");
            }
        }
    }

    /** The end of the key starting at {@code from}: keys are {@code A-Z a-z 0-9 _ . -}. */
    public static int keyEnd(String s, int from) {
        int i = from;
        while (i < s.length() && isKeyChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == '-';
    }

    private static void checkBare(String key, String value) throws MalformedLine {
        if (value.isEmpty()) {
            throw new MalformedLine(
                    MalformedLine.BAD_QUOTING, "field " + key + ": empty bare value (an empty string is written \"\")");
        }
        if (!isBare(value)) {
            throw new MalformedLine(
                    MalformedLine.BAD_QUOTING,
                    "field " + key + ": bare value '" + MalformedLine.clip(value)
                            + "' has characters that need quoting");
        }
    }

    private static int indexOfSpace(String s, int from) {
        int sp = s.indexOf(' ', from);
        return sp < 0 ? s.length() : sp;
    }
}
