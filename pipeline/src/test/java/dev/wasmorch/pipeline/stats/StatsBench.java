package dev.wasmorch.pipeline.stats;

import dev.wasmorch.pipeline.model.Runtime;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Bench command for docs/benchmarks.md ("statistics"): time per call of the statistics on samples of
 * the sizes the analyzer meets (100 pods per group up to ~7,500 serial requests, and a large run).
 * Prints one table row per case as it finishes; the median of repeated timed rounds after warm-up.
 *
 * <p>Run: see docs/benchmarks.md for the exact command.
 */
public final class StatsBench {

    private static final int WARMUP_ROUNDS = 5;
    private static final int TIMED_ROUNDS = 15;

    private StatsBench() {}

    public static void main(String[] args) {
        Random random = new Random(42);
        System.out.println("| case | n per runtime | median µs per call | calls/s |");
        System.out.println("|---|---:|---:|---:|");
        for (int n : new int[] {100, 1_500, 7_500, 100_000}) {
            // response times rounded to 0.1 ms as hey writes them: many ties, normal approximation
            double[] wasm = sample(random, n, 0.060, 0.006);
            double[] container = sample(random, n, 0.052, 0.007);
            row("summarize", n, () -> Descriptive.summarize("b", "f", Runtime.WASM, "m", wasm));
            row("compare (Mann-Whitney, tied)", n, () -> Comparisons.compare("b", "f", "m", wasm, container));
        }
        // exact distribution: 8 values against many, no ties
        for (int n : new int[] {100, 7_500}) {
            double[] small = random.doubles(8).map(v -> v + 0.5).toArray();
            double[] large = random.doubles(n).toArray();
            row("compare (exact, 8 vs n)", n, () -> Comparisons.compare("b", "f", "m", small, large));
        }
    }

    private static double[] sample(Random random, int n, double mean, double sd) {
        return random.doubles(n)
                .map(u -> Math.round((mean + sd * random.nextGaussian()) * 1e4) / 1e4)
                .toArray();
    }

    private static void row(String name, int n, Supplier<Object> call) {
        int callsPerRound = Math.max(1, 300_000 / n);
        Object sink = null;
        double[] perCallNanos = new double[TIMED_ROUNDS];
        for (int round = 0; round < WARMUP_ROUNDS + TIMED_ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < callsPerRound; i++) {
                sink = call.get();
            }
            long elapsed = System.nanoTime() - start;
            if (round >= WARMUP_ROUNDS) {
                perCallNanos[round - WARMUP_ROUNDS] = (double) elapsed / callsPerRound;
            }
        }
        Arrays.sort(perCallNanos);
        double median = perCallNanos[TIMED_ROUNDS / 2];
        System.out.printf("| %s | %,d | %,.1f | %,.0f |%n", name, n, median / 1e3, 1e9 / median);
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
    }
}
