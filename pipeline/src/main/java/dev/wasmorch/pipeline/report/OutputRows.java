package dev.wasmorch.pipeline.report;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.SummaryStats;

/** Reads stats.csv and comparisons.csv rows into the shared model records; missing numbers are NaN. */
final class OutputRows {

    private OutputRows() {}

    /** A stats.csv row; a runtime other than wasm/container is refused (the row is skipped). */
    static SummaryStats stats(CsvInput.Row r) {
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

    static Comparison comparison(CsvInput.Row r) {
        return new Comparison(
                r.text("scenario"),
                r.text("function"),
                r.text("metric"),
                r.count("n_wasm"),
                r.count("n_container"),
                r.number("mean_wasm"),
                r.number("mean_container"),
                r.number("speedup"),
                r.number("u"),
                r.number("z"),
                r.number("p_value"),
                r.number("log10_p"),
                r.number("effect_size"));
    }

    /**
     * log10 of the p-value: the file's own column when given (it stays finite where the p-value
     * underflows to 0), else computed from the p-value.
     */
    static double log10P(Comparison c) {
        if (Double.isFinite(c.log10P())) {
            return c.log10P();
        }
        return c.pValue() > 0 ? Math.log10(c.pValue()) : Double.NaN;
    }
}
