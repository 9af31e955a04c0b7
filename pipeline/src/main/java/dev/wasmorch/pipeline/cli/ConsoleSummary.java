package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.results.ComparisonsFile;
import dev.wasmorch.pipeline.results.CsvInput;
import dev.wasmorch.pipeline.results.SummaryFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The short table printed after an analysis: ingest counters, then per scenario the headline
 * metric's WASM-vs-container comparison per function (all metrics are in comparisons.csv).
 */
final class ConsoleSummary {

    /** Per scenario the first of these that has rows is the headline. */
    static final List<String> HEADLINE_METRICS = List.of("scheduled_to_started", "created_to_started", "response_time");

    private ConsoleSummary() {}

    static void print(Path out, PrintStream console) throws IOException {
        Path summary = out.resolve(SummaryFile.NAME);
        if (Files.exists(summary)) {
            SummaryFile.Totals totals = SummaryFile.read(summary);
            if (totals.present()) {
                console.println(ingestLine(totals));
                console.println(classificationLine(totals));
            } else {
                console.println(SummaryFile.NAME + ": " + totals.problem());
            }
        }
        if (!Files.exists(out.resolve(ComparisonsFile.NAME))) {
            return;
        }
        List<Comparison> rows = headlineRows(comparisons(out));
        if (rows.isEmpty()) {
            console.println("No WASM-vs-container comparison: both runtimes need samples of the same function.");
            return;
        }
        String format = "%-16s %-18s %-22s %7s %7s %10s %10s %8s %10s%n";
        console.printf(
                format,
                "scenario",
                "function",
                "metric",
                "n_wasm",
                "n_cont",
                "mean_wasm",
                "mean_cont",
                "speedup",
                "p_value");
        for (Comparison c : rows) {
            console.printf(
                    format,
                    c.scenario(),
                    c.function(),
                    c.metric(),
                    c.nWasm(),
                    c.nContainer(),
                    fixed(c.meanWasm(), 4),
                    fixed(c.meanContainer(), 4),
                    fixed(c.speedup(), 2) + "x",
                    pValue(c.pValue(), ComparisonsFile.log10P(c)));
        }
    }

    static String ingestLine(SummaryFile.Totals s) {
        StringBuilder rejected = new StringBuilder();
        s.rejected()
                .forEach((reason, n) -> rejected.append(rejected.length() == 0 ? " (" : ", ")
                        .append(reason)
                        .append(' ')
                        .append(n));
        if (rejected.length() > 0) {
            rejected.append(')');
        }
        return String.format(
                Locale.ROOT,
                "Ingest: %,d lines read, %,d matched, %,d rejected%s; %,d pods (%,d complete, %,d incomplete), %,d duplicates, %,d samples",
                s.get("lines_read"),
                s.get("lines_matched"),
                s.get("rejected_total"),
                rejected,
                s.get("pods_total"),
                s.get("pods_complete"),
                s.get("pods_incomplete"),
                s.get("duplicates"),
                s.get("samples"));
    }

    /** How many pods the metadata or logs, each {@code --classify} rule, and nothing classified. */
    static String classificationLine(SummaryFile.Totals s) {
        Map<String, Long> byRule = s.classifiedBy();
        long ruled = byRule.values().stream().mapToLong(Long::longValue).sum();
        long unclassified = s.get(Count.PODS_UNCLASSIFIED);
        StringBuilder rules = new StringBuilder();
        byRule.forEach((rule, n) -> rules.append(rules.length() == 0 ? " (" : ", ")
                .append(rule)
                .append(' ')
                .append(String.format(Locale.ROOT, "%,d", n)));
        if (rules.length() > 0) {
            rules.append(')');
        }
        return String.format(
                Locale.ROOT,
                "Classification: %,d pods by metadata or logs, %,d by rules%s, %,d unclassified",
                s.get("pods_total") - ruled - unclassified,
                ruled,
                rules,
                unclassified);
    }

    static List<Comparison> headlineRows(List<Comparison> all) {
        Map<String, String> headline = new LinkedHashMap<>();
        for (String metric : HEADLINE_METRICS) {
            for (Comparison c : all) {
                if (c.metric().equals(metric)) {
                    headline.putIfAbsent(c.scenario(), metric);
                }
            }
        }
        List<Comparison> out = new ArrayList<>();
        for (Comparison c : all) {
            if (c.metric().equals(headline.get(c.scenario()))) {
                out.add(c);
            }
        }
        return out;
    }

    /** The rows of comparisons.csv in {@code out}, read through the file's own vocabulary. */
    static List<Comparison> comparisons(Path out) throws IOException {
        List<Comparison> rows = new ArrayList<>();
        CsvInput.forEach(out.resolve(ComparisonsFile.NAME), r -> rows.add(ComparisonsFile.read(r)));
        return rows;
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** p as a number while it fits; below 1e-300 from log10(p), which never underflows. */
    static String pValue(double p, double log10p) {
        if (Double.isNaN(p)) {
            return "-";
        }
        if (p > 0 && p >= 1e-300) {
            return p >= 0.001 ? String.format(Locale.ROOT, "%.3f", p) : String.format(Locale.ROOT, "%.1e", p);
        }
        if (!Double.isFinite(log10p)) {
            return "-";
        }
        double l = log10p;
        double exponent = Math.floor(l);
        return String.format(Locale.ROOT, "%.1fe%d", Math.pow(10, l - exponent), (long) exponent);
    }
}
