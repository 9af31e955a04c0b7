package dev.wasmorch.pipeline.report;

import java.util.Locale;

/** Escaping and number formatting for the page. Every label from the inputs goes through here. */
final class Html {

    private Html() {}

    /** Escapes text for element content and quoted attribute values (HTML and SVG alike). */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // Control characters are not allowed in XML (inline SVG); show them as U+FFFD.
                    boolean control = c < 0x20 && c != '\n' && c != '\t' || c == 0x7f;
                    sb.append(control ? '\uFFFD' : c);
                }
            }
        }
        return sb.toString();
    }

    /** Seconds for tables: 4 decimals (0.1 ms), empty for missing. */
    static String sec(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    /** A ratio or coefficient with 3 decimals, empty for missing. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "";
    }

    /** A coordinate in SVG user units. */
    static String px(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A value kept exactly in a data attribute (6 decimals like the CSV files). */
    static String data(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "";
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * A p-value readable at any size: plain decimals down to 0.0001, below that from its log10 as
     * {@code 3.2e-37} (the p-value itself may have underflowed to 0 where log10 is still finite).
     */
    static String pValue(double p, double log10p) {
        if (Double.isFinite(p) && p >= 1e-4) {
            return String.format(Locale.ROOT, "%.4f", p);
        }
        if (!Double.isFinite(log10p)) {
            return Double.isFinite(p) ? String.format(Locale.ROOT, "%.1e", p) : "";
        }
        double exponent = Math.floor(log10p);
        double mantissa = Math.pow(10, log10p - exponent);
        if (mantissa >= 9.95) {
            mantissa = 1;
            exponent += 1;
        }
        return String.format(Locale.ROOT, "%.1fe%d", mantissa, (long) exponent);
    }
}
