package dev.wasmorch.pipeline.report;

import dev.wasmorch.pipeline.demo.ClusterGenerator;
import dev.wasmorch.pipeline.demo.GeneratedCluster;
import dev.wasmorch.pipeline.demo.GeneratorOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput and memory of the demo generator and the report on big inputs; prints a table for
 * docs/benchmarks.md. Run with a small heap (-Xmx256m) to show both stream. Not a unit test:
 * the command is in docs/benchmarks.md.
 */
public final class ReportBench {

    private ReportBench() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/report-bench");
        long lines = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000L;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.println("| step | input | wall s | CPU s | throughput (per CPU s) | heap peak MB |");
        System.out.println("|---|---|---|---|---|---|");

        // Noise 0.9 and ~8 lifecycle lines per pod: pods = lines * 0.1 / 8.
        int pods = (int) (lines / 80);
        resetPeaks();
        long w0 = System.nanoTime();
        long c0 = cpu.getCurrentThreadCpuTime();
        GeneratedCluster cluster =
                new ClusterGenerator(GeneratorOptions.of(pods, 0.9, 1, 3), s -> {}).generate(dir.resolve("cluster"));
        row(
                "generate",
                String.format(Locale.ROOT, "%,d pods, %,d lines", pods, cluster.lines()),
                w0,
                c0,
                cluster.lines(),
                "lines");

        Path out = Files.createDirectories(dir.resolve("out"));
        writeSamples(out.resolve("samples.csv"), lines);
        resetPeaks();
        w0 = System.nanoTime();
        c0 = cpu.getCurrentThreadCpuTime();
        ReportWriter.write(out);
        row("report", String.format(Locale.ROOT, "samples.csv %,d rows", lines), w0, c0, lines, "rows");
    }

    private static void writeSamples(Path file, long rows) throws IOException {
        String[] functions = {
            "aes",
            "float-operation",
            "fuzzysearch",
            "linear-equations",
            "matmul",
            "n-body",
            "prime-numbers",
            "user-manager",
            "whatlang"
        };
        SplittableRandom rng = new SplittableRandom(1);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("scenario,function,runtime,metric,value\n");
            for (long i = 0; i < rows; i++) {
                boolean wasm = (i & 1) == 0;
                double v = (wasm ? 0.82 : 1.72) * Math.exp(0.15 * (rng.nextDouble() + rng.nextDouble() - 1));
                w.write(String.format(
                        Locale.ROOT,
                        "instantiation,%s,%s,scheduled_to_started,%.6f%n",
                        functions[(int) (i / 2 % functions.length)],
                        wasm ? "wasm" : "container",
                        v));
            }
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static void row(String step, String input, long wall0, long cpu0, long units, String unit) {
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpuS = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %.1f | %.1f | %,.0f %s/s | %d |%n",
                step,
                input,
                wall,
                cpuS,
                units / cpuS,
                unit,
                peak >> 20);
    }
}
