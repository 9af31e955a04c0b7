package dev.wasmorch.pipeline.sink;

import dev.wasmorch.pipeline.model.EncodableText;
import java.util.regex.Pattern;

/**
 * Makes one untrusted text safe to put in a CSV cell. Pod names, reject excerpts and messages come
 * from logs anyone on a node can write, and the files are opened in spreadsheets and by scripts:
 * <ul>
 *   <li>a cell that would start a formula ({@code = + - @}, tab or carriage return) and is not a
 *       number gets a leading {@code '}, as OWASP advises, so a spreadsheet shows it as text;
 *   <li>control characters and lone surrogates are escaped ({@link EncodableText}).
 * </ul>
 */
public final class CsvCells {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private CsvCells() {}

    public static String neutral(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        String text = EncodableText.of(cell);
        char first = text.charAt(0);
        boolean formula =
                first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        return formula && !NUMBER.matcher(text).matches() ? "'" + text : text;
    }
}
