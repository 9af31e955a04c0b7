package dev.wasmorch.pipeline.parse;

import java.io.Serializable;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * How {@link LineParser} reads lines.
 *
 * @param year         the year of klog headers (which carry none); {@code null} derives it from the
 *                     journald record, a dated line prefix or the file's modification time
 * @param klogZone     the zone klog header times are written in (klog writes local time)
 * @param maxLineChars lines longer than this are rejected as {@code line_too_long}
 */
public record ParserOptions(Integer year, ZoneId klogZone, int maxLineChars) implements Serializable {

    public static final int DEFAULT_MAX_LINE_CHARS = 65_536;

    public ParserOptions {
        if (klogZone == null) {
            throw new IllegalArgumentException("klogZone must not be null");
        }
        if (maxLineChars < 1) {
            throw new IllegalArgumentException("maxLineChars must be positive, was " + maxLineChars);
        }
        if (year != null && (year < 1970 || year > 9999)) {
            throw new IllegalArgumentException("year out of range: " + year);
        }
    }

    /** Year derived, klog times in UTC, lines up to 65536 characters. */
    public static ParserOptions defaults() {
        return new ParserOptions(null, ZoneOffset.UTC, DEFAULT_MAX_LINE_CHARS);
    }
}
