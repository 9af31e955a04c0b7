package dev.wasmorch.experiment.results;

import java.util.List;
import java.util.stream.Collectors;

/**
 * RFC 4180 rows. Error texts come from containerd, CRI and HTTP answers, so a cell that a
 * spreadsheet would run as a formula ({@code = + - @}, tab, CR at its start) gets a leading
 * {@code '} (OWASP's advice), and a cell holding a comma, quote or line break is quoted.
 */
final class Csv {

    private Csv() {}

    static String row(List<String> cells) {
        return cells.stream().map(Csv::cell).collect(Collectors.joining(",")) + "\n";
    }

    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !isNumber(v)) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static boolean isNumber(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
