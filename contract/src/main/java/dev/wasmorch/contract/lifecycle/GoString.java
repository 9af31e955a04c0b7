package dev.wasmorch.contract.lifecycle;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a Go interpreted string literal as {@code strconv.Quote} writes it (and klog writes quoted
 * values): the escapes a b f n r t v, backslash, quote, x (a byte), octal, u and U (runes).
 * Go's x escape stands for a byte, so runs of escaped bytes above 0x7f are
 * decoded as UTF-8; a run that is not UTF-8 rejects the line ({@code invalid_utf8}). A u-escape
 * escape of a lone surrogate is kept as that char, so Java strings written by NativeLine read back
 * unchanged.
 */
public final class GoString {

    private GoString() {}

    /**
     * Decodes the literal whose opening quote is at {@code s[open]}, appending its value to
     * {@code out}; returns the index just after the closing quote.
     */
    public static int unquote(String s, int open, StringBuilder out, String field) throws MalformedLine {
        int i = open + 1;
        int n = s.length();
        byte[] bytes = null;
        int nBytes = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                flushBytes(bytes, nBytes, out, field);
                return i + 1;
            }
            if (c < 0x20 || c == 0x7f) {
                throw bad(field, String.format("raw control character U+%04X inside quotes", (int) c));
            }
            if (c != '\\') {
                if (nBytes > 0) {
                    flushBytes(bytes, nBytes, out, field);
                    nBytes = 0;
                }
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                break;
            }
            char e = s.charAt(i + 1);
            int value;
            int len;
            boolean isByte = false;
            switch (e) {
                case 'a' -> {
                    value = 7;
                    len = 2;
                }
                case 'b' -> {
                    value = 8;
                    len = 2;
                }
                case 'f' -> {
                    value = 12;
                    len = 2;
                }
                case 'n' -> {
                    value = 10;
                    len = 2;
                }
                case 'r' -> {
                    value = 13;
                    len = 2;
                }
                case 't' -> {
                    value = 9;
                    len = 2;
                }
                case 'v' -> {
                    value = 11;
                    len = 2;
                }
                case '\\' -> {
                    value = '\\';
                    len = 2;
                }
                case '"' -> {
                    value = '"';
                    len = 2;
                }
                case 'x' -> {
                    value = hex(s, i + 2, 2, field);
                    len = 4;
                    isByte = true;
                }
                case 'u' -> {
                    value = hex(s, i + 2, 4, field);
                    len = 6;
                }
                case 'U' -> {
                    value = hex(s, i + 2, 8, field);
                    len = 10;
                }
                case '0', '1', '2', '3' -> {
                    value = octal(s, i + 1, field);
                    len = 4;
                    isByte = true;
                }
                default -> throw bad(field, "unknown escape \\" + e);
            }
            if (isByte && value >= 0x80) {
                if (bytes == null) {
                    bytes = new byte[16];
                } else if (nBytes == bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, nBytes * 2);
                }
                bytes[nBytes++] = (byte) value;
            } else {
                if (nBytes > 0) {
                    flushBytes(bytes, nBytes, out, field);
                    nBytes = 0;
                }
                if (value > Character.MAX_CODE_POINT) {
                    throw bad(field, "escape \\U" + Integer.toHexString(value) + " beyond U+10FFFF");
                }
                out.appendCodePoint(value);
            }
            i += len;
        }
        throw bad(field, "quoted value not closed before the end of the line");
    }

    private static int hex(String s, int from, int digits, String field) throws MalformedLine {
        if (from + digits > s.length()) {
            throw bad(field, "truncated hex escape");
        }
        long v = 0;
        for (int k = from; k < from + digits; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                throw bad(field, "bad hex digit '" + s.charAt(k) + "' in escape");
            }
            v = v * 16 + d;
        }
        if (v > Integer.MAX_VALUE) {
            throw bad(field, "escape value too large");
        }
        return (int) v;
    }

    private static int octal(String s, int from, String field) throws MalformedLine {
        if (from + 3 > s.length()) {
            throw bad(field, "truncated octal escape");
        }
        int v = 0;
        for (int k = from; k < from + 3; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '7') {
                throw bad(field, "bad octal digit '" + c + "' in escape");
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }

    /**
     * Escaped bytes must form UTF-8. Go would turn each invalid byte into U+FFFD, which merges
     * distinct values (pod {@code a\xffb} and {@code a\xfeb} would become one pod), so they are rejected.
     */
    private static void flushBytes(byte[] bytes, int n, StringBuilder out, String field) throws MalformedLine {
        if (n == 0) {
            return;
        }
        CharsetDecoder dec = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            out.append(dec.decode(ByteBuffer.wrap(bytes, 0, n)));
        } catch (CharacterCodingException e) {
            StringBuilder escaped = new StringBuilder();
            for (int k = 0; k < Math.min(n, 8); k++) {
                escaped.append(String.format(Locale.ROOT, "\\x%02x", bytes[k] & 0xff));
            }
            throw new MalformedLine(
                    MalformedLine.INVALID_UTF8,
                    "field " + field + ": escaped bytes " + escaped + (n > 8 ? "..." : "") + " are not UTF-8");
        }
    }

    private static MalformedLine bad(String field, String what) {
        return new MalformedLine(MalformedLine.BAD_QUOTING, "field " + field + ": " + what);
    }
    /** Appends {@code v} quoted as Go's strconv.Quote would (what {@link #unquote} reads back). */
    public static void quote(StringBuilder out, String v) {
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
