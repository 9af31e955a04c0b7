package dev.wasmorch.pipeline.parse;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that keeps invalid input visible: every byte that is not part of a well-formed
 * sequence becomes the lone low surrogate {@code U+DC00 + byte} (U+DC80..U+DCFF), which valid
 * UTF-8 can never produce. The parser rejects such lines as {@code invalid_utf8} naming the byte.
 */
public final class Utf8 {

    private Utf8() {}

    /** Decodes {@code buf[from, to)}. */
    public static String decode(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && buf[i] >= 0) {
            i++;
        }
        if (i == to) {
            // All ASCII: the JDK's Latin-1 path builds a compact string without a decoder.
            return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(to - from);
        for (int k = from; k < i; k++) {
            sb.append((char) buf[k]);
        }
        while (i < to) {
            int b = buf[i] & 0xff;
            if (b < 0x80) {
                sb.append((char) b);
                i++;
                continue;
            }
            int len;
            int cp;
            int min;
            if (b >= 0xc2 && b <= 0xdf) {
                len = 2;
                cp = b & 0x1f;
                min = 0x80;
            } else if (b >= 0xe0 && b <= 0xef) {
                len = 3;
                cp = b & 0x0f;
                min = 0x800;
            } else if (b >= 0xf0 && b <= 0xf4) {
                len = 4;
                cp = b & 0x07;
                min = 0x10000;
            } else {
                sb.append((char) (0xdc00 + b));
                i++;
                continue;
            }
            boolean ok = i + len <= to;
            for (int k = 1; ok && k < len; k++) {
                int c = buf[i + k] & 0xff;
                if ((c & 0xc0) != 0x80) {
                    ok = false;
                } else {
                    cp = (cp << 6) | (c & 0x3f);
                }
            }
            if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                sb.append((char) (0xdc00 + b));
                i++;
                continue;
            }
            sb.appendCodePoint(cp);
            i += len;
        }
        return sb.toString();
    }

    /** Index of the first char standing for an invalid byte, or -1. */
    static int firstInvalid(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0xdc80 && c <= 0xdcff && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }
}
