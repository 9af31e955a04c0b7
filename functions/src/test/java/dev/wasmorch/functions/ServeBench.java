package dev.wasmorch.functions;

import dev.wasmorch.contract.crinode.Command;
import dev.wasmorch.contract.registry.PortKeys;
import dev.wasmorch.shim.e2e.PrivateContainerd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test; run by {@code functions/bench/serve-bench}): the study's serial scenario,
 * shortened. Per function of catalog.json, on one private containerd with the real backing
 * services, the WASM image through the wasmorch shim (a fresh instance per request) and the native
 * image's server under runc, both already serving: a warm-up, then {@code hey -c 1
 * -disable-keepalive} with the catalog request, in rounds that alternate between the two so load
 * drift hits both alike. Prints the response times' mean, sample SD and CV (population SD / mean,
 * docs/statistics.md) side by side with the study's means (its Fig. 2), computed here from its raw
 * files (shared/paper-data/01-serial-execution, given by path, never copied), and the image sizes.
 */
public final class ServeBench {

    private static final String REDIS_URL = "redis://127.0.0.1:6379/4";
    private static final int WARM_UP = 50;

    /** Response times in seconds of the 2xx answers, and how many answers were not 2xx. */
    record Samples(List<Double> seconds, int non2xx) {
        Samples plus(Samples other) {
            List<Double> all = new ArrayList<>(seconds);
            all.addAll(other.seconds);
            return new Samples(all, non2xx + other.non2xx);
        }

        double mean() {
            return seconds.stream().mapToDouble(Double::doubleValue).sum() / seconds.size();
        }

        /** Sample SD, n - 1 in the denominator. */
        double sd() {
            return Math.sqrt(squares() / (seconds.size() - 1));
        }

        /** Population SD / mean, as scipy.stats.variation and the study's tables. */
        double cv() {
            return Math.sqrt(squares() / seconds.size()) / mean();
        }

        private double squares() {
            double m = mean();
            return seconds.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = 2;
        Path paper = Path.of(args.length > 1 ? args[1] : "../../shared/paper-data");
        String unavailable = PrivateContainerd.unavailableReason();
        if (unavailable != null) {
            System.err.println("serve-bench: " + unavailable);
            System.exit(2);
        }
        Catalog catalog = Catalog.load();
        PrivateContainerd containerd = new PrivateContainerd()
                .withEnv(PortKeys.URL_ENV, REDIS_URL)
                .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
                .withEnv("WASMORCH_NODE_NAME", "serve-bench");
        StringBuilder table = new StringBuilder();
        String loadBefore = uptime();
        Instant started = Instant.now();
        try {
            containerd.start();
            try (FunctionTasks tasks = new FunctionTasks(containerd, REDIS_URL);
                    BackingServices services = BackingServices.start()) {
                tasks.importAll(catalog);
                table.append(
                        "| function | type | WASM n | WASM mean ms | SD ms | CV | native n | native mean ms"
                                + " | SD ms | CV | WASM/native | study WASM mean ms | study OpenFaaS mean ms | study ratio |\n");
                table.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
                for (Catalog.Function f : catalog.functions()) {
                    System.err.printf("== %s: starting both tasks%n", f.name());
                    try (FunctionTasks.Task wasm = tasks.wasm(f, services.environment());
                            FunctionTasks.Task nat = tasks.nativeServer(f, services.environment())) {
                        warmUp(f, wasm.port());
                        warmUp(f, nat.port());
                        Samples w = new Samples(List.of(), 0);
                        Samples n = new Samples(List.of(), 0);
                        for (int r = 0; r < rounds; r++) {
                            System.err.printf(
                                    "   round %d/%d: WASM, native, %d s each%n", r + 1, rounds, seconds / rounds);
                            w = w.plus(hey(f, wasm.port(), seconds / rounds));
                            n = n.plus(hey(f, nat.port(), seconds / rounds));
                        }
                        double studyWasm = studyMean(paper, "wasm", f.name());
                        double studyFaas = studyMean(paper, "openfaas", f.name());
                        table.append(String.format(
                                Locale.ROOT,
                                "| %s | %s | %d | %.3f | %.3f | %.3f | %d | %.3f | %.3f | %.3f | %.2f | %.1f | %.1f | %.2f |%n",
                                f.name(),
                                f.type(),
                                w.seconds().size(),
                                w.mean() * 1e3,
                                w.sd() * 1e3,
                                w.cv(),
                                n.seconds().size(),
                                n.mean() * 1e3,
                                n.sd() * 1e3,
                                n.cv(),
                                w.mean() / n.mean(),
                                studyWasm * 1e3,
                                studyFaas * 1e3,
                                studyWasm / studyFaas));
                        if (w.non2xx() + n.non2xx() > 0) {
                            table.append(String.format(
                                    "|   %s: non-2xx answers WASM %d, native %d (not measured) |%n",
                                    f.name(), w.non2xx(), n.non2xx()));
                        }
                    }
                }
            }
        } finally {
            containerd.stop();
        }
        System.out.println("serve-bench " + started + ", " + seconds + " s per target and function in " + rounds
                + " alternating rounds, after " + WARM_UP + " warm-up requests each; hey -c 1 -disable-keepalive");
        System.out.println("load before: " + loadBefore);
        System.out.println("load after:  " + uptime());
        System.out.println();
        System.out.print(table);
        System.out.println();
        System.out.println(sizes(catalog));
    }

    /**
     * {@value #WARM_UP} requests, so that the JVM has compiled the module's hot code (the first
     * requests of a WASM app run Chicory's bytecode in HotSpot's interpreter, tens of times slower).
     */
    private static void warmUp(Catalog.Function f, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(heyCommand(f, port, List.of("-n", Integer.toString(WARM_UP))))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("hey's warm-up of " + f.name() + " failed or took over 120 s");
        }
    }

    private static List<String> heyCommand(Catalog.Function f, int port, List<String> length) {
        Catalog.Request r = f.request();
        List<String> cmd = new ArrayList<>(List.of("hey"));
        cmd.addAll(length);
        cmd.addAll(List.of("-c", "1", "-disable-keepalive", "-o", "csv", "-m", r.method()));
        if (!r.body().isEmpty()) {
            cmd.addAll(List.of("-d", r.body()));
        }
        cmd.add("http://127.0.0.1:" + port + r.path() + (r.query().isEmpty() ? "" : "?" + r.query()));
        return cmd;
    }

    /** hey for {@code seconds} against a task: the study's serial scenario, shortened. */
    private static Samples hey(Catalog.Function f, int port, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(heyCommand(f, port, List.of("-z", seconds + "s")))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("hey failed: " + out);
        }
        return parse(out.lines().skip(1).toList(), 0, 6);
    }

    /** A hey CSV's rows (header skipped): the response time and the status of each. */
    private static Samples parse(List<String> rows, int timeColumn, int statusColumn) {
        List<Double> seconds = new ArrayList<>();
        int non2xx = 0;
        for (String row : rows) {
            String[] cols = row.split(",");
            if (cols.length <= Math.max(timeColumn, statusColumn) || !cols[statusColumn].matches("\\d{3}")) {
                continue; // hey's summary lines, if any
            }
            if (cols[statusColumn].startsWith("2")) {
                seconds.add(Double.parseDouble(cols[timeColumn]));
            } else {
                non2xx++;
            }
        }
        return new Samples(seconds, non2xx);
    }

    /** The study's mean 2xx response time of a function on a platform (its Fig. 2), in seconds. */
    private static double studyMean(Path paper, String platform, String name) throws IOException {
        Path csv = paper.resolve("01-serial-execution").resolve(platform).resolve(name + "-serial.csv");
        if (!Files.isReadable(csv)) {
            return Double.NaN;
        }
        return parse(Files.readAllLines(csv).stream().skip(1).toList(), 0, 6).mean();
    }

    private static String sizes(Catalog catalog) throws IOException {
        StringBuilder sb = new StringBuilder(
                "| function | module B | wasm.tar B | native binary B | native.tar B | native.tar / wasm.tar |\n"
                        + "|---|---:|---:|---:|---:|---:|\n");
        for (Catalog.Function f : catalog.functions()) {
            Path dir = Catalog.OUT.resolve(f.name());
            long wasmTar = Files.size(dir.resolve("wasm.tar"));
            long nativeTar = Files.size(dir.resolve("native.tar"));
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d | %.0f |%n",
                    f.name(),
                    Files.size(dir.resolve(f.file() + ".wasm")),
                    wasmTar,
                    Files.size(dir.resolve(f.file())),
                    nativeTar,
                    (double) nativeTar / wasmTar));
        }
        return sb.toString();
    }

    private static String uptime() throws IOException, InterruptedException {
        return Command.run(List.of("uptime"), Duration.ofSeconds(5)).output().trim();
    }
}
