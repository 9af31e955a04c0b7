package dev.wasmorch.pipeline.model;

/**
 * Descriptive statistics of one group, one row of stats.csv. Definitions in docs/statistics.md.
 *
 * @param scenario scenario label
 * @param function function name
 * @param runtime  wasm or container
 * @param metric   metric name
 * @param n        sample size
 * @param mean     arithmetic mean
 * @param median   50th percentile
 * @param p90      90th percentile
 * @param p95      95th percentile
 * @param p99      99th percentile
 * @param min      minimum
 * @param max      maximum
 * @param sd       sample standard deviation (n-1); NaN for n &lt; 2
 * @param cv       coefficient of variation, population SD / mean (scipy.stats.variation)
 * @param ci95Low  lower end of the 95% confidence interval of the mean (Student t)
 * @param ci95High upper end of that interval
 */
public record SummaryStats(
        String scenario,
        String function,
        Runtime runtime,
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
        double ci95High) {}
