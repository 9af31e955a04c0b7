package dev.wasmorch.pipeline.report;

/** One row of comparisons.csv as the report reads it; missing numbers are NaN. */
record ComparisonRow(
        String scenario,
        String function,
        String metric,
        long nWasm,
        long nContainer,
        double meanWasm,
        double meanContainer,
        double speedup,
        double u,
        double z,
        double pValue,
        double log10P,
        double effectSize) {

    static ComparisonRow of(CsvInput.Row r) {
        return new ComparisonRow(r.text("scenario"), r.text("function"), r.text("metric"), r.count("n_wasm"),
                r.count("n_container"), r.number("mean_wasm"), r.number("mean_container"), r.number("speedup"),
                r.number("u"), r.number("z"), r.number("p_value"), r.number("log10_p"), r.number("effect_size"));
    }

    /**
     * log10 of the p-value: the file's own column when given (it stays finite where the p-value
     * underflows to 0), else computed from the p-value.
     */
    double log10PValue() {
        if (Double.isFinite(log10P)) {
            return log10P;
        }
        return pValue > 0 ? Math.log10(pValue) : Double.NaN;
    }
}
