package dev.wasmorch.pipeline.model;

/**
 * WASM vs container for one (scenario, function, metric), one row of comparisons.csv.
 * Two-sided Mann-Whitney U as SciPy's default {@code mannwhitneyu}; see docs/statistics.md.
 *
 * @param scenario      scenario label
 * @param function      function name
 * @param metric        metric name
 * @param nWasm         WASM sample size
 * @param nContainer    container sample size
 * @param meanWasm      WASM mean
 * @param meanContainer container mean
 * @param speedup       mean container / mean WASM
 * @param u             U of the WASM sample, U1 = R1 - n1(n1+1)/2
 * @param z             normal approximation's z (tie- and continuity-corrected); NaN when the
 *                      exact distribution was used
 * @param pValue        two-sided p-value
 * @param log10P        log10 of the p-value, finite even where the p-value underflows a double
 * @param effectSize    rank-biserial correlation, 2U1/(n1 n2) - 1
 */
public record Comparison(
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
        double effectSize) {}
