package dev.wasmorch.pipeline.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
        return Double.isFinite(v) ? fixed(v, 4) : "";
    }

    /** A ratio or coefficient with 3 decimals, empty for missing. */
    static String num(double v) {
        return Double.isFinite(v) ? fixed(v, 3) : "";
    }

    /** A coordinate in SVG user units. */
    static String px(double v) {
        return fixed(v, 1);
    }

    /** A value kept exactly in a data attribute (6 decimals like the CSV files). */
    static String data(double v) {
        return Double.isFinite(v) ? fixed(v, 6) : "";
    }

    /** An integer with its thousands grouped by commas: {@code 1,234,567}. */
    static String count(long n) {
        String digits = Long.toString(n);
        int sign = n < 0 ? 1 : 0;
        int length = digits.length() - sign;
        StringBuilder sb = new StringBuilder(digits.length() + length / 3);
        sb.append(digits, 0, sign);
        for (int i = 0; i < length; i++) {
            if (i > 0 && (length - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(digits.charAt(sign + i));
        }
        return sb.toString();
    }

    /**
     * {@code v} with {@code decimals} decimals, as {@code String.format(Locale.ROOT, "%.<decimals>f", v)}
     * writes it (the same digits, rounded half up, a negative value that rounds to zero keeping its
     * sign), without the Formatter's parsing of its pattern at every call: the report writes thousands
     * of coordinates and values, and String.format took 40 % of its CPU samples (docs/benchmarks.md,
     * "pipeline: batch job", ninth session). HtmlTest checks the equality on random values.
     */
    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        BigDecimal rounded = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP);
        String plain = rounded.toPlainString();
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        return negative && rounded.signum() == 0 ? "-" + plain : plain;
    }

    /**
     * A p-value readable at any size: plain decimals down to 0.0001, below that from its log10 as
     * {@code 3.2e-37} (the p-value itself may have underflowed to 0 where log10 is still finite).
     */
    static String pValue(double p, double log10p) {
        if (Double.isFinite(p) && p >= 1e-4) {
            return fixed(p, 4);
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
