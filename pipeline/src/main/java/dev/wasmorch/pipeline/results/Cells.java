package dev.wasmorch.pipeline.results;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the result files write numbers, times and absent values. */
final class Cells {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Cells() {}

    /** Seconds with microsecond resolution, the resolution of the measurements. */
    static String seconds(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** Full precision (p-values can be 1e-300); empty for NaN so CSV readers see "missing". */
    static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** UTC with microseconds; empty when the time is unknown. */
    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    static String text(String s) {
        return s == null ? "" : s;
    }
}
