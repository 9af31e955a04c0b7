package dev.wasmorch.experiment.cli;

import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.backend.Readiness;
import dev.wasmorch.experiment.catalog.CatalogException;
import dev.wasmorch.experiment.catalog.CatalogReader;
import dev.wasmorch.experiment.kubernetes.KubernetesOptions;
import dev.wasmorch.experiment.load.Hey;
import dev.wasmorch.experiment.model.Catalog;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.Scenario;
import dev.wasmorch.experiment.report.Analyzer;
import dev.wasmorch.experiment.results.Layout;
import dev.wasmorch.experiment.results.ResultWriter;
import dev.wasmorch.experiment.run.MachineFacts;
import dev.wasmorch.experiment.run.RunConfig;
import dev.wasmorch.experiment.run.RunState;
import dev.wasmorch.experiment.run.Runner;
import dev.wasmorch.experiment.stream.StreamJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lab run}: one run of the study's scenarios through a backend, then the analyzer's report. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Deploys every function on both runtimes and measures instantiation and first invocation,",
            "serial and concurrent load (hey) and image sizes; writes the study's layout into --out,",
            "the lifecycle log beside it, and the analyzer's report into OUT/analysis."
        })
class RunCommand implements Callable<Integer> {

    @Option(
            names = "--backend",
            defaultValue = "local",
            description = "local (the default: this machine, through CRI) or kubernetes (a cluster, through its"
                    + " API server: the options marked Kubernetes backend).")
    String backend;

    @Option(
            names = "--functions",
            defaultValue = "all",
            paramLabel = "a,b|all",
            description = "Functions of the catalog.")
    String functions;

    @Option(
            names = "--scenarios",
            defaultValue = "all",
            paramLabel = "LIST|all",
            description = "instantiation, serial, concurrent, sizes (comma-separated) or all.")
    String scenarios;

    @Option(
            names = "--repetitions",
            paramLabel = "N",
            description = "Redeploys per function and runtime (the study: 100).")
    Integer repetitions;

    @Option(
            names = "--duration",
            paramLabel = "D",
            converter = DurationParser.class,
            description = "hey's duration for serial and concurrent (the study: 5m and 1m; concurrent is capped at 1m,"
                    + " 1,500 requests).")
    Duration duration;

    @Option(
            names = "--quick",
            description = "For CI: every function and scenario, 2 repetitions, 2 s hey runs (unless given).")
    boolean quick;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Output directory (must be empty or new).")
    Path out;

    @Option(
            names = "--catalog",
            paramLabel = "FILE",
            description = "The function catalog (default: functions/catalog.json of this checkout).")
    Path catalog;

    @Option(names = "--hey", defaultValue = "hey", paramLabel = "PATH", description = "The hey executable.")
    String hey;

    @Option(
            names = "--readiness-timeout",
            defaultValue = "60s",
            converter = DurationParser.class,
            paramLabel = "D",
            description = "How long a pod may take to answer before its deploy fails.")
    Duration readinessTimeout;

    @Option(
            names = "--attempts",
            defaultValue = "3",
            paramLabel = "N",
            description = "Deploys of one pod before its failure is final (each failure is recorded).")
    int attempts;

    @Option(names = "--no-report", description = "Do not run the analyzer at the end.")
    boolean noReport;

    @Option(
            names = "--analyzer",
            paramLabel = "PATH",
            description = "The wasmorch CLI that analyses run with (default: $WASMORCH_ANALYZER, else bin/wasmorch of"
                    + " this checkout).")
    String analyzer;

    @Mixin
    LocalOptions local;

    @Mixin
    KubernetesOptions kubernetes;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        Catalog cat;
        Set<Scenario> chosen;
        List<FunctionSpec> fns;
        RunConfig config;
        Backend cluster;
        try {
            if (!BACKENDS.contains(backend)) {
                throw new IllegalArgumentException("--backend: unknown backend '" + backend + "' (available: "
                        + String.join(", ", BACKENDS) + ")");
            }
            cat = CatalogReader.read(catalogPath());
            fns = select(cat);
            chosen = scenarios();
            config = new RunConfig(
                    backend,
                    chosen,
                    repetitions != null ? repetitions : quick ? 2 : 100,
                    duration != null ? duration : quick ? Duration.ofSeconds(2) : Duration.ofMinutes(5),
                    duration != null ? duration : quick ? Duration.ofSeconds(2) : Duration.ofMinutes(1),
                    new Readiness(Duration.ofMillis(5), readinessTimeout, attempts));
            if (config.repetitions() < 1 || config.repetitions() > 10_000) {
                throw new IllegalArgumentException("--repetitions " + config.repetitions() + " is not 1..10000");
            }
            prepareOut();
            // made here, so that a bad kubernetes option is exit 2 too; it asks the cluster nothing yet
            cluster = backend.equals("kubernetes") ? kubernetes.backend(cat, out) : null;
        } catch (CatalogException | IllegalArgumentException | IOException e) {
            err.println("wasmorch lab: " + e.getMessage());
            return LabCli.EXIT_INPUT;
        }
        Layout layout = new Layout(out);
        ResultWriter writer = new ResultWriter(layout);
        StreamJob job;
        try {
            job = companion(layout);
        } catch (IllegalArgumentException | IOException e) {
            err.println("wasmorch lab: " + e.getMessage());
            return e instanceof IllegalArgumentException ? LabCli.EXIT_INPUT : LabCli.EXIT_FAILED;
        }
        try (StreamJob companion = job;
                Backend b = cluster != null ? cluster : local.backend(cat)) {
            Runner runner = new Runner(
                    fns,
                    config,
                    b,
                    new Hey(hey),
                    writer,
                    err,
                    cluster != null ? kubernetes.runtimeClasses() : local.runtimeClasses(),
                    new RunState(MachineFacts.runner(hey), MachineFacts.machine(), Instant.now()));
            // On a signal the JVM ends once the hooks ran, so the hook also closes the backend (its
            // private node and services); close is idempotent for the normal path's try.
            Thread hook = new Thread(
                    () -> {
                        runner.stop("interrupted by a signal (SIGINT/SIGTERM)");
                        b.close();
                        if (companion != null) {
                            companion.close();
                        }
                    },
                    "lab-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            boolean complete;
            try {
                complete = runner.run();
            } catch (BackendException e) {
                err.println("wasmorch lab: backend " + backend + ": " + e.getMessage());
                runner.stop("backend failed: " + e.getMessage());
                return LabCli.EXIT_FAILED;
            } finally {
                removeHook(hook);
            }
            if (!complete) {
                return 130;
            }
            if (companion != null) {
                try {
                    companion.finish();
                } catch (IOException e) {
                    err.println("wasmorch lab: " + e.getMessage());
                    return LabCli.EXIT_FAILED;
                }
            }
        }
        if (!noReport) {
            for (Path report : new Analyzer(List.of(analyzer())).analyze(layout)) {
                err.println("wasmorch lab: report " + report.resolve("report.html"));
            }
        }
        err.println("wasmorch lab: results in " + out);
        return 0;
    }

    /**
     * What runs beside the measurements, started before the first pod and stopped after the last
     * (also by the Ctrl-C hook): {@code lab run} has nothing; {@code lab stream} its streaming job.
     * An unusable option is an {@link IllegalArgumentException}, a job that does not start an
     * {@link IOException}.
     */
    StreamJob companion(Layout layout) throws IOException, InterruptedException {
        return null;
    }

    /** The backends this build has: {@code local} ({@link LocalOptions}), {@code kubernetes} ({@link KubernetesOptions}). */
    static final List<String> BACKENDS = List.of("local", "kubernetes");

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs already (a signal came as the run ended); it finishes the results itself
        }
    }

    private Path catalogPath() {
        return catalog != null ? catalog : Checkout.root().resolve("functions").resolve("catalog.json");
    }

    private List<FunctionSpec> select(Catalog cat) {
        if (functions.equals("all")) {
            return cat.functions();
        }
        List<FunctionSpec> chosen = new ArrayList<>();
        for (String name : functions.split(",", -1)) {
            FunctionSpec f = cat.functions().stream()
                    .filter(s -> s.name().equals(name.strip()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--functions: '" + name
                            + "' is not in the catalog (" + String.join(", ", cat.names()) + ")"));
            if (!chosen.contains(f)) {
                chosen.add(f);
            }
        }
        return chosen;
    }

    private Set<Scenario> scenarios() {
        if (scenarios.equals("all")) {
            return EnumSet.allOf(Scenario.class);
        }
        Set<Scenario> set = EnumSet.noneOf(Scenario.class);
        for (String s : scenarios.split(",", -1)) {
            try {
                set.add(Scenario.of(s.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--scenarios: " + e.getMessage());
            }
        }
        return set;
    }

    private void prepareOut() throws IOException {
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new IOException("--out " + out + " is a file");
            }
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(
                            "--out " + out + " is not empty (a run never mixes its files with another's)");
                }
            }
        }
        Files.createDirectories(out);
    }

    /** The analyzer CLI: {@code --analyzer}, else {@code $WASMORCH_ANALYZER} (bin/wasmorch sets it), else this checkout's. */
    String analyzer() {
        String env = System.getenv("WASMORCH_ANALYZER");
        return analyzer != null
                ? analyzer
                : env != null
                        ? env
                        : Checkout.root().resolve("bin").resolve("wasmorch").toString();
    }
}
