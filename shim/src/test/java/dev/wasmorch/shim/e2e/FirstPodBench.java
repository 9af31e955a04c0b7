package dev.wasmorch.shim.e2e;

import dev.wasmorch.contract.crinode.CriNode;
import dev.wasmorch.shim.daemon.ShimMain;
import dev.wasmorch.shim.e2e.CriStartBench.BenchArgs;
import dev.wasmorch.shim.e2e.CriStartBench.Runtime;
import dev.wasmorch.shim.e2e.CriStartBench.Start;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The first WASM pods of a node through CRI, each round on a fresh shim daemon of the packaged
 * shim (launcher, lib/ and its class-data sharing archive): started ahead by the launcher's
 * {@code daemon} command (as shim/deploy/wasmorch-shim.service does) or started by the first pod's
 * RunPodSandbox. Times the first pod's phases and every pod started back to back in the window
 * after it (10 s: about the daemon's warm-up time), pod network. docs/benchmarks.md, "shim: the first pods
 * of a node".
 */
public record FirstPodBench(PrivateContainerd containerd, CriStartBench pods, Duration window) {

    /**
     * How the round's daemon came up, and whether the node ran the pod's module before (it is in
     * the node's module store, and the daemon's warm-up compiled it) or never (the store emptied).
     */
    enum Case {
        /** the first pod right after the daemon serves, its background warm-up just begun */
        AHEAD("daemon started ahead", false, false),
        /** the first pod once the daemon is idle, its warm-up done, a module new to the node */
        AHEAD_IDLE("daemon started ahead, warm-up done", true, false),
        /** as after a node's reboot or a daemon's crash: the pod's module ran on the node before */
        AHEAD_IDLE_STORED("daemon started ahead, warm-up done, module stored", true, true),
        BY_FIRST_POD("daemon started by the first pod", false, false);

        final String label;
        final boolean idle;
        final boolean stored;

        Case(String label, boolean idle, boolean stored) {
            this.label = label;
            this.idle = idle;
            this.stored = stored;
        }
    }

    /**
     * One round, in ms.
     *
     * @param daemonUp   from the daemon command's start to its socket serving (NaN when the first
     *                   pod started it: then it is inside that pod's RunPodSandbox)
     * @param first      the first pod
     * @param window     the pods after it, started back to back until the window after the first
     *                   pod's first 200 ended
     * @param archived   whether the daemon JVM mapped the class-data sharing archive
     * @param warmUp     how long the daemon's background warm-up took, as its log says (NaN when the
     *                   first pod did not wait for it)
     */
    record Round(double daemonUp, Start first, List<Start> window, boolean archived, double warmUp) {}

    /** The duration at the end of the daemon's line {@link ShimMain#WARM_UP_DONE}. */
    private static final java.util.regex.Pattern WARM_UP_TIME = java.util.regex.Pattern.compile(" in (\\d+) ms");

    /** {@code FirstPodBench [ROUNDS [IMAGES_DIR [FUNCTION]]]}: defaults 5, ../functions/target/functions, prime-numbers. */
    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args, 5, "rounds");
        PrivateContainerd containerd = node();
        CriStartBench.onNode("first-pod-bench", containerd, a, pods -> {
            FirstPodBench bench = new FirstPodBench(containerd, pods, Duration.ofSeconds(10));
            print(bench.run(a.count(), System.err), bench.window, System.out);
        });
    }

    /** The benchmark's node, with the packaged shim. */
    static PrivateContainerd node() {
        return CriStartBench.node().packaged();
    }

    /** {@code rounds} rounds of each case, interleaved. */
    Map<Case, List<Round>> run(int rounds, PrintStream progress) throws Exception {
        Map<Case, List<Round>> results = new EnumMap<>(Case.class);
        for (Case c : Case.values()) {
            results.put(c, new ArrayList<>());
        }
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < Case.values().length; k++) {
                Case c = Case.values()[(k + i) % Case.values().length];
                results.get(c).add(round(c));
                progress.printf(Locale.ROOT, "first-pod-bench: round %d/%d, %s%n", i + 1, rounds, c.label);
            }
        }
        return results;
    }

    private Round round(Case c) throws Exception {
        containerd.stopShimDaemons();
        if (c.stored) {
            storeTheModule();
        } else {
            emptyTheStore();
        }
        // the daemon's log goes on across rounds (one daemon directory): only a new line counts
        long warmUpsBefore = warmUps();
        Process command = null;
        double daemonUp = Double.NaN;
        double warmUp = Double.NaN;
        try {
            long t0 = System.nanoTime();
            if (c != Case.BY_FIRST_POD) {
                Path out = Files.createTempFile(containerd.dir(), "daemon-command", ".out");
                command = containerd
                        .daemonCommand()
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
                awaitServing(command, out);
                daemonUp = (System.nanoTime() - t0) / 1e6;
                if (c.idle) {
                    String done = awaitWarmUpDone(warmUpsBefore);
                    String expected = (c.stored ? 1 : 0) + " stored module(s) compiled";
                    var time = WARM_UP_TIME.matcher(done);
                    if (!done.contains(expected) || !time.find()) {
                        throw new IllegalStateException("expected \"" + expected + "\" from the daemon, got " + done);
                    }
                    warmUp = Double.parseDouble(time.group(1));
                }
            }
            Start first = pods.startAndRemove(Runtime.WASM, false);
            long t1 = System.nanoTime();
            boolean archived = mapsArchive();
            List<Start> after = new ArrayList<>();
            while (System.nanoTime() - t1 < window.toNanos()) {
                after.add(pods.startAndRemove(Runtime.WASM, false));
            }
            return new Round(daemonUp, first, after, archived, warmUp);
        } finally {
            if (command != null) {
                command.destroy();
                command.waitFor(30, TimeUnit.SECONDS);
            }
            containerd.stopShimDaemons();
        }
    }

    private static void awaitServing(Process command, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(out).contains(" serves unix://")) {
            if (!command.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the daemon command did not serve: " + Files.readString(out));
            }
            Thread.sleep(1);
        }
    }

    private List<String> warmUpLines() throws IOException {
        String log = containerd.shimLog();
        // the daemon may be writing a line right now: only the lines a newline ended are whole
        return log.substring(0, log.lastIndexOf('\n') + 1)
                .lines()
                .filter(l -> l.startsWith(ShimMain.WARM_UP_DONE))
                .toList();
    }

    private long warmUps() throws IOException {
        return warmUpLines().size();
    }

    /** The daemon's line saying its warm-up finished, the first after {@code before} such lines. */
    private String awaitWarmUpDone(long before) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> lines;
        while ((lines = warmUpLines()).size() == before) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the daemon's background warm-up did not finish within 120 s");
            }
            Thread.sleep(20);
        }
        return lines.get((int) before);
    }

    /** The node has never run the pod's module: its store is empty. */
    private void emptyTheStore() throws IOException {
        for (Path f : storedModules()) {
            Files.delete(f);
        }
    }

    /** The node ran the pod's module before: a pod on a daemon of its own puts it in the store. */
    private void storeTheModule() throws Exception {
        if (storedModules().isEmpty()) {
            pods.startAndRemove(Runtime.WASM, false);
            containerd.stopShimDaemons();
        }
    }

    private List<Path> storedModules() throws IOException {
        if (!Files.isDirectory(containerd.moduleStore())) {
            return List.of();
        }
        try (var files = Files.list(containerd.moduleStore())) {
            return files.toList();
        }
    }

    /** Whether the node's daemon has the archive mapped (/proc/PID/maps names the file). */
    private boolean mapsArchive() throws IOException {
        long pid = Long.parseLong(
                Files.readString(containerd.shimSocket(CriNode.CRI_NAMESPACE).resolveSibling("daemon.pid"))
                        .trim());
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")).stream()
                .anyMatch(l -> l.endsWith("/lib/wasmorch-shim.jsa"));
    }

    /** The table of docs/benchmarks.md "shim: the first pods of a node". */
    static void print(Map<Case, List<Round>> results, Duration window, PrintStream out) {
        out.println("| case | rounds | daemon up | first pod: RunPodSandbox | CreateContainer | StartContainer"
                + " | first 200 | total | pods in the next " + window.toSeconds() + " s | their total |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<Case, List<Round>> e : results.entrySet()) {
            List<Round> rounds = e.getValue();
            List<Start> firsts = rounds.stream().map(Round::first).toList();
            List<Start> windows =
                    rounds.stream().flatMap(r -> r.window().stream()).toList();
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %s | %s | %s | %d | %s |%n",
                    e.getKey().label,
                    rounds.size(),
                    e.getKey() == Case.BY_FIRST_POD
                            ? "in RunPodSandbox"
                            : cell(rounds.stream().map(Round::daemonUp).toList()),
                    cell(firsts, Start::sandbox),
                    cell(firsts, Start::create),
                    cell(firsts, Start::start),
                    cell(firsts, Start::first200),
                    cell(firsts, Start::total),
                    windows.size(),
                    cell(windows, Start::total));
        }
        out.println();
        out.println("Cells: median / p90, ms (type 7). Archive mapped by the daemon in "
                + results.values().stream()
                        .flatMap(List::stream)
                        .filter(Round::archived)
                        .count() + " of "
                + results.values().stream().mapToInt(List::size).sum() + " rounds.");
        List<Double> warmUps = results.values().stream()
                .flatMap(List::stream)
                .map(Round::warmUp)
                .filter(w -> !w.isNaN())
                .toList();
        if (!warmUps.isEmpty()) {
            out.println("The daemon's background warm-up, from its socket serving to its last round (its log): "
                    + cell(warmUps) + " ms in the " + warmUps.size() + " rounds that waited for it.");
        }
    }

    private static String cell(List<Start> starts, Function<Start, Double> phase) {
        return cell(starts.stream().map(phase).toList());
    }

    private static String cell(List<Double> values) {
        return CriStartBench.cell(values);
    }
}
