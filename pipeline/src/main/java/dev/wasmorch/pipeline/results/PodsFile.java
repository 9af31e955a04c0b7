package dev.wasmorch.pipeline.results;

import static dev.wasmorch.pipeline.results.Cells.seconds;
import static dev.wasmorch.pipeline.results.Cells.text;
import static dev.wasmorch.pipeline.results.Cells.time;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** pods.csv: one row per pod lifecycle, its times, intervals and flags. */
public final class PodsFile {

    public static final String NAME = "pods.csv";

    public static final List<String> COLUMNS;

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
        COLUMNS = List.copyOf(h);
    }

    /**
     * The columns a summary of the pods needs, read back as the file has them: an unclassified
     * pod's runtime is empty, flags are {@code ;}-separated.
     */
    public record Entry(
            String namespace,
            String pod,
            String node,
            String runtime,
            String function,
            String scenario,
            long duplicates,
            boolean complete,
            String flags) {}

    private PodsFile() {}

    public static List<String> row(PodLifecycle p) {
        List<String> row = new ArrayList<>(COLUMNS.size());
        row.add(p.namespace());
        row.add(p.pod());
        row.add(text(p.uid()));
        row.add(text(p.node()));
        row.add(p.runtime() == null ? "" : p.runtime().label());
        row.add(text(p.function()));
        row.add(text(p.scenario()));
        row.add(text(p.runtimeClass()));
        for (Instant t : p.phaseTimes()) {
            row.add(time(t));
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

    public static Entry read(CsvInput.Row r) {
        return new Entry(
                r.text("namespace"),
                r.text("pod"),
                r.text("node"),
                r.text("runtime"),
                r.text("function"),
                r.text("scenario"),
                r.count("duplicates"),
                Boolean.parseBoolean(r.text("complete").trim()),
                r.text("flags"));
    }
}
