package dev.wasmorch.pipeline.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes analyzer outputs for the report tests: a small realistic experiment (nine functions, WASM
 * around 0.82 s, containers around 1.72 s) computed here from the samples it writes.
 */
final class Fixtures {

    static final List<String> FUNCTIONS = List.of(
            "aes",
            "float-operation",
            "fuzzysearch",
            "linear-equations",
            "matmul",
            "n-body",
            "prime-numbers",
            "user-manager",
            "whatlang");

    private Fixtures() {}

    /** RFC 4180: quote a field when it holds a comma, quote or line break. */
    static String csv(Object... fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            String f = String.valueOf(fields[i]);
            if (i > 0) {
                sb.append(',');
            }
            if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        return sb.append("\r\n").toString();
    }

    static void write(Path file, String header, List<String> lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write(header + "\r\n");
            for (String l : lines) {
                w.write(l);
            }
        }
    }

    static String d(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "";
    }

    /** A full experiment in {@code dir}: scenario "instantiation", two metrics, n per group. */
    static void experiment(Path dir, List<String> functions, int n) throws IOException {
        Random rng = new Random(1);
        List<String> samples = new ArrayList<>();
        List<String> stats = new ArrayList<>();
        List<String> comparisons = new ArrayList<>();
        for (String metric : List.of("scheduled_to_started", "seen_to_started")) {
            double shift = metric.equals("seen_to_started") ? 0.012 : 0;
            for (int f = 0; f < functions.size(); f++) {
                double[][] both = new double[2][];
                for (int r = 0; r < 2; r++) {
                    String runtime = r == 0 ? "wasm" : "container";
                    double median = (r == 0 ? 0.812 : 1.70) * (1 + 0.02 * f) - shift;
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = median * Math.exp(0.14 * rng.nextGaussian());
                        samples.add(csv("instantiation", functions.get(f), runtime, metric, d(v[i])));
                    }
                    both[r] = v;
                    stats.add(statRow("instantiation", functions.get(f), runtime, metric, v));
                }
                double mw = mean(both[0]);
                double mc = mean(both[1]);
                comparisons.add(csv(
                        "instantiation",
                        functions.get(f),
                        metric,
                        n,
                        n,
                        d(mw),
                        d(mc),
                        d(mc / mw),
                        d(0),
                        d(-8.6),
                        d(0),
                        d(-37.49485),
                        d(-1)));
            }
        }
        write(dir.resolve("samples.csv"), "scenario,function,runtime,metric,value", samples);
        write(
                dir.resolve("stats.csv"),
                "scenario,function,runtime,metric,n,mean,median,p90,p95,p99,min,max,sd,cv,ci95_low,ci95_high",
                stats);
        write(
                dir.resolve("comparisons.csv"),
                "scenario,function,metric,n_wasm,n_container,mean_wasm,mean_container,"
                        + "speedup,u,z,p_value,log10_p,effect_size",
                comparisons);
    }

    static String statRow(String scenario, String function, String runtime, String metric, double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double mean = mean(s);
        double ss = 0;
        for (double x : s) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (s.length - 1));
        double half = 1.98 * sd / Math.sqrt(s.length);
        return csv(
                scenario,
                function,
                runtime,
                metric,
                s.length,
                d(mean),
                d(q(s, 0.5)),
                d(q(s, 0.9)),
                d(q(s, 0.95)),
                d(q(s, 0.99)),
                d(s[0]),
                d(s[s.length - 1]),
                d(sd),
                d(Math.sqrt(ss / s.length) / mean),
                d(mean - half),
                d(mean + half));
    }

    private static double q(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) h;
        return sorted[lo] + (h - lo) * (sorted[Math.min(sorted.length - 1, lo + 1)] - sorted[lo]);
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** pods.csv with {@code total} pods, every 50th incomplete and every 70th skew-flagged. */
    static void pods(Path dir, int total) throws IOException {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            boolean complete = i % 50 != 7;
            String flags = complete ? (i % 70 == 3 ? "negative_interval:scheduled_to_started" : "") : "incomplete";
            rows.add(csv(
                    "default",
                    "aes-wasm-5d8f7c9b4-p" + i,
                    "uid-" + i,
                    "agent-" + (1 + i % 2),
                    i % 2 == 0 ? "wasm" : "container",
                    "aes",
                    "instantiation",
                    i % 2 == 0 ? "spin" : "",
                    "2026-11-26T21:00:00.000000Z",
                    "2026-11-26T21:00:00.006000Z",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "0.006000",
                    "0.820000",
                    "",
                    "",
                    "",
                    "",
                    i % 10 == 0 ? 1 : 0,
                    complete,
                    flags));
        }
        write(
                dir.resolve("pods.csv"),
                "namespace,pod,uid,node,runtime,function,scenario,runtime_class,created,"
                        + "scheduled,seen,sandbox_ready,container_created,container_started,ready,deleted,created_to_scheduled,"
                        + "scheduled_to_started,scheduled_to_ready,created_to_ready,created_to_started,seen_to_started,"
                        + "duplicates,complete,flags",
                rows);
    }

    static void rejects(Path dir) throws IOException {
        write(
                dir.resolve("rejects.csv"),
                "file,line,reason,detail,excerpt",
                List.of(
                        csv(
                                "server.log",
                                812,
                                "bad_timestamp",
                                "field ts: hour 25 out of range",
                                "WASMORCH-LIFECYCLE/1 ts=2026-11-26T25:61:09.123456Z event=PodSeen"),
                        csv(
                                "agent-1.log",
                                77,
                                "unknown_event",
                                "event PodResized is not known",
                                "WASMORCH-LIFECYCLE/1 ts=..."),
                        csv(
                                "agent-1.log",
                                91,
                                "unknown_event",
                                "event PodResized is not known",
                                "WASMORCH-LIFECYCLE/1 ts=...")));
    }

    static void summary(Path dir) throws IOException {
        Files.writeString(
                dir.resolve("summary.json"),
                "{\"lines_read\":120000,\"lines_matched\":8000,\"events\":7997,"
                        + "\"rejected_total\":3,\"rejected\":{\"bad_timestamp\":1,\"unknown_event\":2},\"duplicates\":400,"
                        + "\"pods_total\":1000,\"pods_complete\":980,\"pods_incomplete\":20,\"files\":3,\"samples\":3600}");
    }
}
