package dev.wasmorch.pipeline.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The timestamp spellings of the formats the parser reads. */
final class Times {

    /** Go's zero {@code time.Time}, which the kubelet prints for times it never took. */
    static final Instant GO_ZERO = Instant.parse("0001-01-01T00:00:00Z");

    // RFC 3339 as the native format demands it: UTC, 6 to 9 fractional digits.
    private static final Pattern NATIVE_TS =
            Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{6,9})Z");

    // Go's time.Time.String() ("2024-11-29 16:33:25.942453883 +0000 UTC m=+23257.472205557") and
    // RFC 3339 with any offset and precision.
    private static final Pattern GO_TIME =
            Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?"
                    + "(?:(Z)| ?([+-])(\\d{2}):?(\\d{2}))(?: [A-Za-z0-9+-]{1,10})?(?: m=[+-]\\d+(?:\\.\\d+)?)?");

    private Times() {}

    /** The native {@code ts} field. */
    static Instant parseNative(String v, String field) throws LineRejected {
        Matcher m = NATIVE_TS.matcher(v);
        if (!m.matches()) {
            throw new LineRejected(
                    Reasons.BAD_TIMESTAMP,
                    "field " + field + ": '" + KeyValues.clip(v)
                            + "' is not RFC 3339 UTC with 6 to 9 fractional digits (2026-11-26T21:24:09.123456Z)");
        }
        return toInstant(m, 0, field, v);
    }

    /** A Go time value or RFC 3339 timestamp with any offset. */
    static Instant parseGo(String v, String field) throws LineRejected {
        Matcher m = GO_TIME.matcher(v);
        if (!m.matches()) {
            throw new LineRejected(
                    Reasons.BAD_TIMESTAMP,
                    "field " + field + ": '" + KeyValues.clip(v)
                            + "' is not a timestamp (RFC 3339 or Go's 2006-01-02 15:04:05.999999999 -0700 MST)");
        }
        int offsetSeconds = 0;
        if (m.group(8) == null) {
            int sign = "-".equals(m.group(9)) ? -1 : 1;
            int hh = Integer.parseInt(m.group(10));
            int mm = Integer.parseInt(m.group(11));
            if (hh > 18 || mm > 59) {
                throw new LineRejected(Reasons.BAD_TIMESTAMP, "field " + field + ": bad zone offset in '" + v + "'");
            }
            offsetSeconds = sign * (hh * 3600 + mm * 60);
        }
        return toInstant(m, offsetSeconds, field, v);
    }

    private static Instant toInstant(Matcher m, int offsetSeconds, String field, String v) throws LineRejected {
        try {
            String frac = m.group(7);
            int nanos = 0;
            if (frac != null) {
                nanos = Integer.parseInt(frac);
                for (int k = frac.length(); k < 9; k++) {
                    nanos *= 10;
                }
            }
            LocalDateTime t = LocalDateTime.of(
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)),
                    nanos);
            return t.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            throw new LineRejected(
                    Reasons.BAD_TIMESTAMP,
                    "field " + field + ": '" + KeyValues.clip(v) + "' is not a valid date/time (" + e.getMessage()
                            + ")");
        }
    }
}
