package dev.wasmorch.pipeline.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * klog's line header {@code Lmmdd hh:mm:ss.uuuuuu threadid file:line] }. It has no year; the
 * parser supplies one (see {@link LineParser}).
 *
 * @param end index of the message just after {@code "] "}
 */
record KlogHeader(int month, int day, int hour, int minute, int second, int micros, int end) {

    /** The header at {@code s[from]}, or {@code null} when there is none. */
    static KlogHeader at(String s, int from) {
        // Fixed part: L mm dd ' ' hh ':' mm ':' ss '.' uuuuuu  = 21 chars.
        int n = s.length();
        if (n - from < 24) {
            return null;
        }
        char sev = s.charAt(from);
        if (sev != 'I' && sev != 'W' && sev != 'E' && sev != 'F') {
            return null;
        }
        int p = from + 1;
        if (!digits(s, p, 4)
                || s.charAt(p + 4) != ' '
                || !digits(s, p + 5, 2)
                || s.charAt(p + 7) != ':'
                || !digits(s, p + 8, 2)
                || s.charAt(p + 10) != ':'
                || !digits(s, p + 11, 2)
                || s.charAt(p + 13) != '.'
                || !digits(s, p + 14, 6)) {
            return null;
        }
        int q = p + 20;
        if (q >= n || s.charAt(q) != ' ') {
            return null;
        }
        while (q < n && s.charAt(q) == ' ') {
            q++;
        }
        int tid = q;
        while (q < n && Character.isDigit(s.charAt(q))) {
            q++;
        }
        if (q == tid || q >= n || s.charAt(q) != ' ') {
            return null;
        }
        int close = s.indexOf("] ", q);
        int closeEol = s.endsWith("]") ? n - 1 : -1;
        int end;
        if (close >= 0 && close - q < 200) {
            end = close + 2;
        } else if (closeEol >= 0 && closeEol - q < 200) {
            end = n;
        } else {
            return null;
        }
        return new KlogHeader(
                num(s, p, 2),
                num(s, p + 2, 2),
                num(s, p + 5, 2),
                num(s, p + 8, 2),
                num(s, p + 11, 2),
                num(s, p + 14, 6),
                end);
    }

    /** The instant in {@code zone} of {@code year}; bad_timestamp when the date does not exist. */
    Instant toInstant(int year, ZoneId zone) throws LineRejected {
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000)
                    .atZone(zone)
                    .toInstant();
        } catch (DateTimeException e) {
            throw new LineRejected(
                    Reasons.BAD_TIMESTAMP,
                    String.format(
                            "klog header: %02d%02d %02d:%02d:%02d is not a valid time in %d (%s)",
                            month, day, hour, minute, second, year, e.getMessage()));
        }
    }

    private static boolean digits(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
