package dev.wasmorch.pipeline.source;

import dev.wasmorch.pipeline.parse.InterestFilter;
import dev.wasmorch.pipeline.parse.Utf8;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a byte stream into lines in one large buffer, counts every line, and hands on only the
 * lines that pass {@link InterestFilter}, decoded. A line that does not fit the buffer is kept as
 * a prefix long enough for the parser to reject it as too long; the rest is filtered as it streams
 * by and dropped, so a line of any length costs a bounded amount of memory.
 */
final class LineScanner implements Closeable {

    /** Receives the lines of interest. */
    interface Sink {
        void candidate(long lineNo, String text);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MIN_BUFFER = 1 << 20;

    private final InputStream in;
    private final byte[] buf;
    private final int prefixKeep;
    private final int markerTail;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean done;
    private long lines;
    private long bytes;

    private byte[] longPrefix;
    private boolean longMatched;

    /**
     * @param maxLineChars the parser's limit; a kept prefix of {@code 3 * maxLineChars + 6} bytes
     *                     decodes to more than that many chars, so the parser sees the line as too long
     */
    LineScanner(InputStream in, int maxLineChars) {
        this.in = in;
        long keep = 3L * maxLineChars + 6;
        if (keep > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("maxLineChars too large: " + maxLineChars);
        }
        this.prefixKeep = (int) keep;
        this.markerTail = InterestFilter.maxMarkerLength() - 1;
        this.buf = new byte[Math.max(MIN_BUFFER, prefixKeep + markerTail + 1)];
    }

    /** Reads one buffer's worth and hands on its lines; false once the input is exhausted. */
    boolean step(Sink sink) throws IOException {
        if (done) {
            return false;
        }
        compact();
        int r = in.read(buf, limit, buf.length - limit);
        if (r < 0) {
            eof = true;
        } else {
            limit += r;
            bytes += r;
        }
        scan(sink);
        if (eof) {
            finish(sink);
            done = true;
        }
        return !done;
    }

    boolean done() {
        return done;
    }

    /** Lines read so far (all of them, of interest or not). */
    long lines() {
        return lines;
    }

    /** Bytes read so far (decompressed). */
    long bytes() {
        return bytes;
    }

    private void compact() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            // No line break in a full buffer: the line is too long to keep whole.
            if (longPrefix == null) {
                longPrefix = Arrays.copyOf(buf, prefixKeep);
            }
            longMatched |= InterestFilter.mayBeOfInterest(buf, 0, limit);
            // Keep the tail so a marker straddling the refill is still found.
            System.arraycopy(buf, limit - markerTail, buf, 0, markerTail);
            limit = markerTail;
        }
    }

    /**
     * Marker first: lines of interest are rare (about 1 %), so the buffer is searched for markers
     * and the newlines between hits are only counted, branch-free, instead of being found one by one.
     */
    private void scan(Sink sink) {
        if (longPrefix != null) {
            // The first line continues a line too long for the buffer: it ends at the first newline.
            int nl = indexOfNewline(buf, pos, limit);
            if (nl < 0) {
                return;
            }
            endLine(sink, nl);
            pos = nl + 1;
        }
        while (pos < limit) {
            int hit = InterestFilter.indexOf(buf, pos, limit);
            if (hit < 0) {
                // No marker in what is left: count its complete lines, keep the partial last one.
                int last = lastIndexOfNewline(buf, pos, limit);
                if (last >= 0) {
                    lines += countNewlines(buf, pos, last + 1);
                    pos = last + 1;
                }
                return;
            }
            int previous = lastIndexOfNewline(buf, pos, hit);
            if (previous >= 0) {
                lines += countNewlines(buf, pos, previous + 1);
                pos = previous + 1;
            }
            int nl = indexOfNewline(buf, hit, limit);
            if (nl < 0) {
                return; // the line with the marker is not complete yet
            }
            endLine(sink, nl);
            pos = nl + 1;
        }
    }

    /** The last '\n' in {@code b[from, to)}, or -1 when there is none. */
    static int lastIndexOfNewline(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** How many '\n' bytes {@code b[from, to)} holds, eight bytes at a time without branches. */
    static int countNewlines(byte[] b, int from, int to) {
        int n = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long v = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            // Exact zero-byte mask (no false positives, unlike the first-zero test below).
            long t = ~(((v & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | v | 0x7F7F7F7F7F7F7F7FL);
            // One bit per '\n' byte, at its top: moved to the bottom and summed by one multiply into
            // the top byte. Not Long.bitCount: C1, which runs batch commands, has no intrinsic for it
            // (2.6x slower over a whole file).
            n += (int) (((t >>> 7) * 0x0101010101010101L) >>> 56);
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    private void finish(Sink sink) {
        if (pos < limit || longPrefix != null) {
            endLine(sink, limit);
            pos = limit;
        }
    }

    private void endLine(Sink sink, int end) {
        lines++;
        if (longPrefix != null) {
            if (longMatched || InterestFilter.mayBeOfInterest(buf, pos, end)) {
                sink.candidate(lines, Utf8.decode(longPrefix, 0, longPrefix.length));
            }
            longPrefix = null;
            longMatched = false;
            return;
        }
        int to = end > pos && buf[end - 1] == '\r' ? end - 1 : end;
        if (InterestFilter.mayBeOfInterest(buf, pos, to)) {
            sink.candidate(lines, Utf8.decode(buf, pos, to));
        }
    }

    /** The first '\n' in {@code b[from, to)}, eight bytes at a time. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long v = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (v - 0x0101010101010101L) & ~v & 0x8080808080808080L;
            if (t != 0) {
                // Little-endian: the lowest flagged byte is the first zero (false flags only follow it).
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
