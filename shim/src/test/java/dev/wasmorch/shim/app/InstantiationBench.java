package dev.wasmorch.shim.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): the cost of the per-request isolation.
 * <ol>
 *   <li>one WAGI invocation of a compiled small module: new instance (fresh memory) + WASI setup +
 *       {@code _start} + CGI output, measured one by one after warm-up; median and p99 by nearest rank;</li>
 *   <li>requests/s through the HTTP listener with {@code hey} against 127.0.0.1 (bounded count).</li>
 * </ol>
 * Run: see docs/benchmarks.md, section "shim: per-request instantiation".
 */
public final class InstantiationBench {

    private InstantiationBench() {}

    public static void main(String[] args) throws Exception {
        int warmup = 20_000;
        int measured = 50_000;
        System.out.printf(
                "%-10s %11s %8s %10s %10s %10s %10s%n",
                "module", "compile_ms", "runs", "median_us", "p90_us", "p99_us", "mean_us");
        for (String name : List.of("hello", "counter", "echo")) {
            Path wasm = TestApps.module(name);
            long c0 = System.nanoTime();
            WasmComponent c = WasmComponent.compile(name, wasm, ShimSettings.DEFAULT_MAX_MEMORY);
            double compileMs = (System.nanoTime() - c0) / 1e6;
            Map<String, String> env = Map.of("REQUEST_METHOD", "GET", "PATH_INFO", "/", "QUERY_STRING", "");
            for (int i = 0; i < warmup; i++) {
                invoke(c, env);
            }
            long[] ns = new long[measured];
            for (int i = 0; i < measured; i++) {
                long t0 = System.nanoTime();
                invoke(c, env);
                ns[i] = System.nanoTime() - t0;
                if (i % 10_000 == 0) {
                    System.err.printf("  %s: %d/%d%n", name, i, measured);
                }
            }
            Arrays.sort(ns);
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %11.1f %8d %10.1f %10.1f %10.1f %10.1f%n",
                    name,
                    compileMs,
                    measured,
                    rank(ns, 0.50) / 1e3,
                    rank(ns, 0.90) / 1e3,
                    rank(ns, 0.99) / 1e3,
                    Arrays.stream(ns).average().orElse(0) / 1e3);
        }
        httpThroughput(args.length > 0 ? Integer.parseInt(args[0]) : 20_000);
    }

    private static void invoke(WasmComponent c, Map<String, String> env) {
        var out = new BoundedOutput(1 << 20);
        var outcome = c.run(
                List.of("/"),
                env,
                Map.of(),
                new ByteArrayInputStream(new byte[0]),
                out,
                OutputStream.nullOutputStream(),
                "_start");
        if (!outcome.ok() || out.toByteArray().length == 0) {
            throw new IllegalStateException("invocation failed: " + outcome);
        }
    }

    /** Nearest-rank percentile of sorted values. */
    private static long rank(long[] sorted, double q) {
        int r = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, r - 1)];
    }

    private static void httpThroughput(int requests) throws Exception {
        Path dir = Files.createTempDirectory("wasmorch-bench-");
        TestApps.app(dir, "/hello=hello");
        var settings = new ShimSettings(
                "redis://127.0.0.1:6379/2",
                null,
                "127.0.0.1",
                ShimSettings.DEFAULT_MAX_MEMORY,
                Duration.ofSeconds(30),
                "bench");
        try (AppHarness harness = new AppHarness(settings, settings.redisUrl());
                RunningApp app = harness.start("bench", dir)) {
            String url = "http://127.0.0.1:" + app.port() + "/hello";
            System.out.println();
            System.out.println("hey -n " + requests + " -c 8 " + url + "  (workers per app: "
                    + AppConcurrency.DEFAULT.workers() + ")");
            run(List.of("hey", "-n", Integer.toString(requests / 4), "-c", "8", url), false); // warm-up
            run(List.of("hey", "-n", Integer.toString(requests), "-c", "8", url), true);
        }
    }

    private static void run(List<String> cmd, boolean print) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("hey not installed (apt-get install hey): HTTP throughput not measured");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.MINUTES);
        if (print) {
            out.lines()
                    .filter(l -> l.contains("Requests/sec")
                            || l.contains("Average")
                            || l.contains("% in")
                            || l.trim().startsWith("[")
                            || l.contains("Error"))
                    .forEach(System.out::println);
        }
    }
}
