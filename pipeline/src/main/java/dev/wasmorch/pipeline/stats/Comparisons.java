package dev.wasmorch.pipeline.stats;

import dev.wasmorch.pipeline.model.Comparison;
import org.apache.commons.math3.stat.descriptive.moment.Mean;

/** Builds the WASM-vs-container {@link Comparison} of one (scenario, function, metric). */
public final class Comparisons {

    private Comparisons() {}

    /**
     * Compares the WASM sample (first) with the container sample (second): Mann-Whitney U of the
     * WASM sample, rank-biserial effect size (positive: WASM values larger, i.e. slower) and the
     * speedup mean(container) / mean(WASM) (above 1: WASM faster on average).
     *
     * @throws IllegalArgumentException when a sample is empty or holds a non-finite value
     */
    public static Comparison compare(
            String scenario, String function, String metric, double[] wasm, double[] container) {
        MannWhitney.Result test = MannWhitney.test(wasm, container);
        double meanWasm = new Mean().evaluate(wasm);
        double meanContainer = new Mean().evaluate(container);
        return new Comparison(
                scenario,
                function,
                metric,
                wasm.length,
                container.length,
                meanWasm,
                meanContainer,
                meanContainer / meanWasm,
                test.u1(),
                test.z(),
                test.pValue(),
                test.log10P(),
                test.effectSize());
    }
}
