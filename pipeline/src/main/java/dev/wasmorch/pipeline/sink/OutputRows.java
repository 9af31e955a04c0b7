package dev.wasmorch.pipeline.sink;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.model.SummaryStats;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The columns of the output files (pipeline/README.md, "Outputs"): one header and one row mapper
 * per file, so writers and readers of the files agree on a single definition.
 */
public final class OutputRows {

    public static final List<String> STATS_HEADER = List.of(
            "scenario",
            "function",
            "runtime",
            "metric",
            "n",
            "mean",
            "median",
            "p90",
            "p95",
            "p99",
            "min",
            "max",
            "sd",
            "cv",
            "ci95_low",
            "ci95_high");
    public static final List<String> COMPARISONS_HEADER = List.of(
            "scenario",
            "function",
            "metric",
            "n_wasm",
            "n_container",
            "mean_wasm",
            "mean_container",
            "speedup",
            "u",
            "z",
            "p_value",
            "log10_p",
            "effect_size");
    public static final List<String> SAMPLES_HEADER = List.of("scenario", "function", "runtime", "metric", "value");
    public static final List<String> REJECTS_HEADER = List.of("file", "line", "reason", "detail", "excerpt");
    public static final List<String> PODS_HEADER;

    static {
        List<String> h = new ArrayList<>(List.of(
                "namespace",
                "pod",
                "uid",
                "node",
                "runtime",
                "function",
                "scenario",
                "runtime_class",
                "created",
                "scheduled",
                "seen",
                "sandbox_ready",
                "container_created",
                "container_started",
                "ready",
                "deleted"));
        for (Metric m : Metric.values()) {
            h.add(m.label());
        }
        h.addAll(List.of("duplicates", "complete", "flags"));
        PODS_HEADER = List.copyOf(h);
    }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private OutputRows() {}

    public static List<String> stats(SummaryStats s) {
        return List.of(
                s.scenario(),
                s.function(),
                s.runtime().label(),
                s.metric(),
                Long.toString(s.n()),
                num(s.mean()),
                num(s.median()),
                num(s.p90()),
                num(s.p95()),
                num(s.p99()),
                num(s.min()),
                num(s.max()),
                num(s.sd()),
                num(s.cv()),
                num(s.ci95Low()),
                num(s.ci95High()));
    }

    public static List<String> comparison(Comparison c) {
        return List.of(
                c.scenario(),
                c.function(),
                c.metric(),
                Long.toString(c.nWasm()),
                Long.toString(c.nContainer()),
                num(c.meanWasm()),
                num(c.meanContainer()),
                num(c.speedup()),
                num(c.u()),
                num(c.z()),
                num(c.pValue()),
                num(c.log10P()),
                num(c.effectSize()));
    }

    public static List<String> sample(Sample s) {
        return List.of(s.scenario(), s.function(), s.runtime().label(), s.metric(), seconds(s.value()));
    }

    public static List<String> reject(Reject r) {
        return List.of(r.file(), Long.toString(r.line()), r.reason(), r.detail(), r.excerpt());
    }

    public static List<String> pod(PodLifecycle p) {
        List<String> row = new ArrayList<>(PODS_HEADER.size());
        row.add(p.namespace());
        row.add(p.pod());
        row.add(str(p.uid()));
        row.add(str(p.node()));
        row.add(p.runtime() == null ? "" : p.runtime().label());
        row.add(str(p.function()));
        row.add(str(p.scenario()));
        row.add(str(p.runtimeClass()));
        for (Instant t : new Instant[] {
            p.created(),
            p.scheduled(),
            p.seen(),
            p.sandboxReady(),
            p.containerCreated(),
            p.containerStarted(),
            p.ready(),
            p.deleted()
        }) {
            row.add(t == null ? "" : TS.format(t));
        }
        for (Metric m : Metric.values()) {
            Double s = p.seconds(m);
            row.add(s == null ? "" : seconds(s));
        }
        row.add(Integer.toString(p.duplicates()));
        row.add(Boolean.toString(p.complete()));
        row.add(p.flags());
        return row;
    }

    /** Seconds with microsecond resolution, the resolution of the measurements. */
    static String seconds(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** Full precision (p-values can be 1e-300); empty for NaN so CSV readers see "missing". */
    static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String str(String s) {
        return s == null ? "" : s;
    }
}
