package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.model.Reject;
import java.io.Serializable;
import java.util.List;

/**
 * Turns one line into lifecycle events. Reads the registered {@link Dialects} (the native format,
 * the 2023 study's lines and the klog lines of unpatched clusters), bare or wrapped (klog header, syslog/journald text prefix, CRI
 * container-log prefix, {@code journalctl -o json}); see pipeline/docs/input-formats.md. Never
 * throws: a line of interest it cannot use becomes a {@link Reject} with a reason and the field at
 * fault; a line of no interest is skipped.
 */
public final class LineParser implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int EXCERPT_CHARS = 200;
    private static final int DETAIL_CHARS = 300;

    private final ParserOptions options;

    public LineParser(ParserOptions options) {
        this.options = options;
    }

    public ParseResult parse(RawLine line) {
        if (line == null || line.endOfFile() || line.text() == null) {
            return ParseResult.skip();
        }
        String text = line.text();
        try {
            if (text.length() > options.maxLineChars()) {
                throw new LineRejected(
                        Reasons.LINE_TOO_LONG,
                        "line longer than " + options.maxLineChars() + " characters (only its start was kept)");
            }
            if (!InterestFilter.mayBeOfInterest(text)) {
                return ParseResult.skip();
            }
            checkUtf8(text, "line");
            Envelope env = Envelope.unwrap(text);
            return ParseResult.of(dispatch(line, env));
        } catch (LineRejected r) {
            return ParseResult.rejected(reject(line, r.reason(), r.detail()));
        } catch (RuntimeException | StackOverflowError e) {
            // A parser bug must not stop the job: the line is reported like any other bad line.
            return ParseResult.rejected(reject(line, Reasons.INTERNAL_ERROR, "parser error: " + e));
        }
    }

    /** The first registered dialect that finds itself in the message reads it. */
    private List<LifecycleEvent> dispatch(RawLine line, Envelope env) throws LineRejected {
        String msg = env.message();
        for (Dialect dialect : Dialects.ALL) {
            int at = dialect.find(msg);
            if (at >= 0) {
                checkUtf8(msg, "MESSAGE");
                LineContext ctx = new LineContext(line, env, KlogHeader.at(msg, 0), options);
                return dialect.parse(ctx, msg, at);
            }
        }
        return List.of();
    }

    private static void checkUtf8(String s, String where) throws LineRejected {
        int bad = Utf8.firstInvalid(s);
        if (bad >= 0) {
            throw new LineRejected(
                    Reasons.INVALID_UTF8,
                    String.format("%s: byte 0x%02x at column %d is not UTF-8", where, s.charAt(bad) - 0xdc00, bad + 1));
        }
    }

    private static Reject reject(RawLine line, String reason, String detail) {
        return new Reject(
                line.file(), line.line(), reason, escape(detail, DETAIL_CHARS), escape(line.text(), EXCERPT_CHARS));
    }

    /**
     * At most {@code max} chars of {@code s} with control characters, line breaks and invalid
     * bytes written as escapes, so an excerpt is one safe line of a CSV or a terminal.
     */
    static String escape(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc;
            if (c == '\n') {
                esc = "\\n";
            } else if (c == '\r') {
                esc = "\\r";
            } else if (c == '\t') {
                esc = "\\t";
            } else if (c == '\\') {
                esc = "\\\\";
            } else if (c < 0x20 || c == 0x7f) {
                esc = String.format("\\x%02x", (int) c);
            } else if (c >= 0xdc80 && c <= 0xdcff && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                esc = String.format("\\x%02x", c - 0xdc00);
            } else if (Character.isISOControl(c) || (Character.isSurrogate(c) && !pairedAt(s, i))) {
                esc = String.format("\\u%04x", (int) c);
            } else {
                esc = null;
            }
            int add = esc == null ? 1 : esc.length();
            if (sb.length() + add > max) {
                break;
            }
            if (esc == null) {
                sb.append(c);
            } else {
                sb.append(esc);
            }
        }
        return sb.toString();
    }

    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
