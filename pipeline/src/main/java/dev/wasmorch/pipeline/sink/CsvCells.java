package dev.wasmorch.pipeline.sink;

import java.util.regex.Pattern;

/**
 * Makes one untrusted text safe to put in a CSV cell. Pod names, reject excerpts and messages come
 * from logs anyone on a node can write, and the files are opened in spreadsheets and by scripts:
 * <ul>
 *   <li>a cell that would start a formula ({@code = + - @}, tab or carriage return) and is not a
 *       number gets a leading {@code '}, as OWASP advises, so a spreadsheet shows it as text;
 *   <li>control characters (NUL included) and surrogates without their pair, which UTF-8 cannot
 *       encode, are written as the escape {@code \}{@code uXXXX}, so distinct inputs stay distinct.
 * </ul>
 */
public final class CsvCells {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private CsvCells() {}

    public static String neutral(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        String text = escaped(cell);
        char first = text.charAt(0);
        boolean formula =
                first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        return formula && !NUMBER.matcher(text).matches() ? "'" + text : text;
    }

    private static String escaped(String cell) {
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
