package dev.wasmorch.pipeline.results;

import static dev.wasmorch.pipeline.results.Cells.num;

import dev.wasmorch.pipeline.model.Comparison;
import java.util.List;

/** comparisons.csv: WASM against container per scenario, function and metric. */
public final class ComparisonsFile {

    public static final String NAME = "comparisons.csv";

    public static final List<String> COLUMNS = List.of(
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

    private ComparisonsFile() {}

    public static List<String> row(Comparison c) {
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

    /** A row read back; missing numbers are NaN. */
    public static Comparison read(CsvInput.Row r) {
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
    public static double log10P(Comparison c) {
        if (Double.isFinite(c.log10P())) {
            return c.log10P();
        }
        return c.pValue() > 0 ? Math.log10(c.pValue()) : Double.NaN;
    }
}
