package dev.wasmorch.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.wasmorch.pipeline.results.ComparisonsFile;
import dev.wasmorch.pipeline.results.SummaryFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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
            console.println(ingestLine(new ObjectMapper().readTree(summary.toFile())));
        }
        Path comparisons = out.resolve(ComparisonsFile.NAME);
        if (!Files.exists(comparisons)) {
            return;
        }
        List<Map<String, String>> rows = headlineRows(readCsv(comparisons));
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
        for (Map<String, String> r : rows) {
            console.printf(
                    format,
                    r.get("scenario"),
                    r.get("function"),
                    r.get("metric"),
                    r.get("n_wasm"),
                    r.get("n_container"),
                    fixed(r.get("mean_wasm"), 4),
                    fixed(r.get("mean_container"), 4),
                    fixed(r.get("speedup"), 2) + "x",
                    pValue(r.get("p_value"), r.get("log10_p")));
        }
    }

    static String ingestLine(JsonNode s) {
        StringBuilder rejected = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("rejected").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            rejected.append(rejected.length() == 0 ? " (" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(e.getValue().asLong());
        }
        if (rejected.length() > 0) {
            rejected.append(')');
        }
        return String.format(
                Locale.ROOT,
                "Ingest: %,d lines read, %,d matched, %,d rejected%s; %,d pods (%,d complete, %,d incomplete), %,d duplicates, %,d samples",
                s.path("lines_read").asLong(),
                s.path("lines_matched").asLong(),
                s.path("rejected_total").asLong(),
                rejected,
                s.path("pods_total").asLong(),
                s.path("pods_complete").asLong(),
                s.path("pods_incomplete").asLong(),
                s.path("duplicates").asLong(),
                s.path("samples").asLong());
    }

    static List<Map<String, String>> headlineRows(List<Map<String, String>> all) {
        Map<String, String> headline = new LinkedHashMap<>();
        for (String metric : HEADLINE_METRICS) {
            for (Map<String, String> r : all) {
                if (r.get("metric").equals(metric)) {
                    headline.putIfAbsent(r.get("scenario"), metric);
                }
            }
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> r : all) {
            if (r.get("metric").equals(headline.get(r.get("scenario")))) {
                out.add(r);
            }
        }
        return out;
    }

    static List<Map<String, String>> readCsv(Path file) throws IOException {
        try (MappingIterator<Map<String, String>> it = new CsvMapper()
                .readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(file.toFile())) {
            return it.readAll();
        }
    }

    private static String fixed(String v, int decimals) {
        if (v == null || v.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", Double.parseDouble(v));
    }

    /** p as a number while it fits; below 1e-300 from log10(p), which never underflows. */
    static String pValue(String p, String log10p) {
        if (p == null || p.isEmpty()) {
            return "-";
        }
        double value = Double.parseDouble(p);
        if (value > 0 && value >= 1e-300) {
            return value >= 0.001
                    ? String.format(Locale.ROOT, "%.3f", value)
                    : String.format(Locale.ROOT, "%.1e", value);
        }
        double l = Double.parseDouble(log10p);
        double exponent = Math.floor(l);
        return String.format(Locale.ROOT, "%.1fe%d", Math.pow(10, l - exponent), (long) exponent);
    }
}
