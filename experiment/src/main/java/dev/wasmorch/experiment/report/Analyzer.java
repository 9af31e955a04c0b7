package dev.wasmorch.experiment.report;

import dev.wasmorch.experiment.results.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the analyzer over a finished run, as a separate process ({@code bin/wasmorch analyze}): the
 * experiment module depends on contract only, so it calls the pipeline the way a user does.
 *
 * <p>Two analyses, because the study's layout and the lifecycle log hold the same pods: 04's
 * {@code init_time} is each pod's created → started, which the analyzer also computes from the
 * log, so one analysis of both would count every pod twice.
 *
 * <ul>
 *   <li>{@code analysis/study}: {@code analyze --paper-data OUT}, the study's tables and figures
 *       from the new run (response times; created → started per pod);
 *   <li>{@code analysis/lifecycle}: {@code analyze --logs OUT/lifecycle --pods OUT/pods.json}, the
 *       µs lifecycle statistics (scheduled → started, ...), with the failed pods counted.
 * </ul>
 */
public final class Analyzer {

    private static final Duration BOUND = Duration.ofMinutes(30);

    private final List<String> command;

    /** @param command how to start the analyzer CLI, e.g. {@code [/path/bin/wasmorch]} */
    public Analyzer(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** The analyses of a run (their output folders), or why one failed. */
    public List<Path> analyze(Layout layout) throws IOException, InterruptedException {
        List<Path> reports = new ArrayList<>();
        Path study = layout.analysis().resolve("study");
        run(List.of("analyze", "--paper-data", layout.root().toString(), "--out", study.toString()));
        reports.add(study);
        if (hasLines(layout.lifecycleDir())) {
            Path lifecycle = layout.analysis().resolve("lifecycle");
            run(List.of(
                    "analyze",
                    "--logs",
                    layout.lifecycleDir().toString(),
                    "--pods",
                    layout.pods().toString(),
                    "--out",
                    lifecycle.toString()));
            reports.add(lifecycle);
        }
        return reports;
    }

    private void run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!p.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": did not end within " + BOUND.toMinutes() + " min");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit code " + p.exitValue());
        }
    }

    private static boolean hasLines(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.toFile().length() > 0);
        }
    }
}
