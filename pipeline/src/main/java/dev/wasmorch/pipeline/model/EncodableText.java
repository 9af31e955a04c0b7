package dev.wasmorch.pipeline.model;

/**
 * Untrusted text made storable everywhere the results go. UTF-8 cannot encode a surrogate without
 * its pair (the CSV writer threw; the PostgreSQL driver silently wrote '?', which merged distinct
 * pods), PostgreSQL refuses NUL in text (every retry of the batch failed, a poison pill for the
 * streaming job), and other control characters garble terminals and spreadsheets. Each such char
 * is written as the text {@code \}{@code uXXXX}, so distinct names no longer collapse into one '?'
 * (a name holding that escape text itself reads the same; a backslash is not escaped); tab, line feed and
 * carriage return stay, as the CSV writer quotes them.
 */
public final class EncodableText {

    private EncodableText() {}

    public static String of(String cell) {
        if (cell == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c)
                    && i + 1 < cell.length()
                    && Character.isLowSurrogate(cell.charAt(i + 1));
            boolean pairedLow = Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(cell.charAt(i - 1));
            boolean unsafe = (Character.isSurrogate(c) && !pairedHigh && !pairedLow)
                    || (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r');
            if (unsafe && out == null) {
                out = new StringBuilder(cell.length() + 8).append(cell, 0, i);
            }
            if (out != null) {
                if (unsafe) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? cell : out.toString();
    }
}
