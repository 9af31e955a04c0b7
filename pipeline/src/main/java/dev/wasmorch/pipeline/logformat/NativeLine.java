package dev.wasmorch.pipeline.logformat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes events in the native format of docs/log-format.md. The reader lives in the parse package;
 * the demo generator and tests write through here so both sides follow one definition.
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
            return;
        }
        out.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else if (Character.isISOControl(c)
                            || c == '\u2028'
                            || c == '\u2029'
                            || Character.isSurrogate(c) && !validSurrogatePair(v, i)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogatePair(String v, int i) {
        char c = v.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(v.charAt(i - 1));
    }
}
