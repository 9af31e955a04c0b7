package dev.wasmorch.pipeline.results;

import static dev.wasmorch.pipeline.results.Cells.num;

import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.SummaryStats;
import java.util.List;

/** stats.csv: descriptive statistics per scenario, function, runtime and metric. */
public final class StatsFile {

    public static final String NAME = "stats.csv";

    public static final List<String> COLUMNS = List.of(
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

    private StatsFile() {}

    public static List<String> row(SummaryStats s) {
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

    /** A row read back; missing numbers are NaN, a runtime other than wasm/container is refused. */
    public static SummaryStats read(CsvInput.Row r) {
        return new SummaryStats(
                r.text("scenario"),
                r.text("function"),
                Runtime.fromLabel(r.text("runtime")),
                r.text("metric"),
                r.count("n"),
                r.number("mean"),
                r.number("median"),
                r.number("p90"),
                r.number("p95"),
                r.number("p99"),
                r.number("min"),
                r.number("max"),
                r.number("sd"),
                r.number("cv"),
                r.number("ci95_low"),
                r.number("ci95_high"));
    }
}
