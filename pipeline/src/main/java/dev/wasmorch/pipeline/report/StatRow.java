package dev.wasmorch.pipeline.report;

/** One row of stats.csv as the report reads it; missing numbers are NaN. */
record StatRow(
        String scenario,
        String function,
        String runtime,
        String metric,
        long n,
        double mean,
        double median,
        double p90,
        double p95,
        double p99,
        double min,
        double max,
        double sd,
        double cv,
        double ci95Low,
        double ci95High) {

    static StatRow of(CsvInput.Row r) {
        return new StatRow(r.text("scenario"), r.text("function"), r.text("runtime"), r.text("metric"),
                r.count("n"), r.number("mean"), r.number("median"), r.number("p90"), r.number("p95"),
                r.number("p99"), r.number("min"), r.number("max"), r.number("sd"), r.number("cv"),
                r.number("ci95_low"), r.number("ci95_high"));
    }
}
