package dev.wasmorch.pipeline.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Byte-level pre-filter: a line may be of interest when it contains the marker of one of the
 * registered {@link Dialects}, as text or as the decimal bytes of a journald JSON MESSAGE array.
 * Lines without a marker are never decoded. The search is a
 * Set-Horspool scan (skips ahead by up to the shortest marker's length), so most bytes of a noise
 * line are never looked at. Shifts are taken on two-byte blocks (Wu-Manber): single letters of the
 * markers are common in log text and would allow short skips only, pairs of them are rare.
 */
public final class InterestFilter {

    /** The dialects' markers, as they appear in raw bytes, also inside a JSON string. */
    static final String[] TEXT_MARKERS =
            Dialects.ALL.stream().map(Dialect::marker).toArray(String[]::new);

    /**
     * The markers as a journald JSON record writes a MESSAGE that is not clean text: an array of its
     * bytes, {@code [87,65,83,...]}, with or without a space after each comma. Looking for these
     * rather than for {@code "MESSAGE":[} keeps the shortest pattern a marker (14 bytes, not 11), so
     * the search skips further: the batch job read the 5 M-line bench log in 1.55-1.79 s instead of
     * 1.81-2.06 s (docs/benchmarks.md, "pipeline: batch job").
     */
    static final String[] BYTE_MARKERS = Arrays.stream(TEXT_MARKERS)
            .flatMap(m -> Stream.of(decimalBytes(m, ","), decimalBytes(m, ", ")))
            .toArray(String[]::new);

    private static final byte[][] PATTERNS;
    private static final int MIN_LEN;
    /** Skip for the two bytes ending the window; 0 when some pattern's prefix ends with them. */
    private static final byte[] SHIFT = new byte[1 << 16];
    /** For each two-byte block, the patterns whose bytes MIN_LEN-1 and MIN_LEN are that block. */
    private static final byte[][][] BY_LAST = new byte[1 << 16][][];

    static {
        PATTERNS = Stream.concat(Arrays.stream(TEXT_MARKERS), Arrays.stream(BYTE_MARKERS))
                .map(m -> m.getBytes(StandardCharsets.US_ASCII))
                .toArray(byte[][]::new);
        int min = Integer.MAX_VALUE;
        for (byte[] p : PATTERNS) {
            min = Math.min(min, p.length);
        }
        MIN_LEN = min;
        Arrays.fill(SHIFT, (byte) (MIN_LEN - 1));
        for (byte[] p : PATTERNS) {
            for (int j = 1; j < MIN_LEN; j++) {
                int block = block(p, j);
                SHIFT[block] = (byte) Math.min(SHIFT[block], MIN_LEN - 1 - j);
            }
            int last = block(p, MIN_LEN - 1);
            byte[][] list = BY_LAST[last];
            byte[][] grown = list == null ? new byte[1][] : Arrays.copyOf(list, list.length + 1);
            grown[grown.length - 1] = p;
            BY_LAST[last] = grown;
        }
    }

    /** "WA" as "87{sep}65": the bytes of an ASCII marker in decimal. */
    private static String decimalBytes(String marker, String sep) {
        return marker.chars().mapToObj(Integer::toString).collect(Collectors.joining(sep));
    }

    /** The two bytes ending at {@code end} as one index. */
    private static int block(byte[] b, int end) {
        return (b[end - 1] & 0xff) << 8 | (b[end] & 0xff);
    }

    private InterestFilter() {}

    /** True when {@code buf[from, to)} contains a marker. */
    public static boolean mayBeOfInterest(byte[] buf, int from, int to) {
        return indexOf(buf, from, to) >= 0;
    }

    /** Where the first marker in {@code buf[from, to)} starts, or -1. */
    public static int indexOf(byte[] buf, int from, int to) {
        int i = from + MIN_LEN - 1;
        while (i < to) {
            int b = block(buf, i);
            int shift = SHIFT[b];
            if (shift > 0) {
                i += shift;
                continue;
            }
            byte[][] candidates = BY_LAST[b];
            if (candidates != null) {
                int start = i - MIN_LEN + 1;
                for (byte[] p : candidates) {
                    if (start + p.length <= to && matches(buf, start, p)) {
                        return start;
                    }
                }
            }
            i++;
        }
        return -1;
    }

    /** The longest marker's length: a marker can straddle at most this many bytes minus one. */
    public static int maxMarkerLength() {
        int max = 0;
        for (byte[] p : PATTERNS) {
            max = Math.max(max, p.length);
        }
        return max;
    }

    /** The same test on decoded text. */
    static boolean mayBeOfInterest(String s) {
        for (String m : TEXT_MARKERS) {
            if (s.contains(m)) {
                return true;
            }
        }
        for (String m : BYTE_MARKERS) {
            if (s.contains(m)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] buf, int at, byte[] p) {
        for (int j = 0; j < p.length; j++) {
            if (buf[at + j] != p[j]) {
                return false;
            }
        }
        return true;
    }
}
