package dev.wasmorch.experiment.stream;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The analyzer's streaming job ({@code wasmorch stream}) as a process beside a run, the way a user
 * starts it: this module depends on contract only. Its output goes to a file; it counts as started
 * once it says it follows its inputs, and it is stopped with SIGTERM, as Ctrl-C stops it.
 *
 * @param process the job
 * @param output  the file its standard output and error go to
 * @param drain   how long it gets at {@link #finish} for what it has read (its sinks' flush and one
 *                statistics refresh)
 */
public record StreamJob(Process process, Path output, Duration drain) implements AutoCloseable {

    /** What {@code wasmorch stream} prints once its job is built and about to run. */
    static final String FOLLOWING = "wasmorch stream: following ";

    /** The analyzer CLI's exit code for unusable input (pipeline/README.md). */
    static final int REFUSED = 2;

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PROGRESS = Duration.ofSeconds(15);
    private static final Duration STOP = Duration.ofSeconds(30);

    /**
     * Starts the job and waits until it follows its inputs, saying every 15 s that it waits (a first
     * use may build the analyzer). A job that ends or stays silent within {@code bound} is stopped and
     * reported with the end of its output: an {@link IllegalArgumentException} when it refused its
     * options, else an {@link IOException}.
     */
    public static StreamJob start(
            List<String> command,
            Map<String, String> environment,
            Path output,
            Duration bound,
            Duration drain,
            PrintStream progress)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        Process p = pb.redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        StreamJob job = new StreamJob(p, output, drain);
        long started = System.nanoTime();
        long said = started;
        while (!job.printed().contains(FOLLOWING)) {
            if (!p.isAlive() && p.exitValue() == REFUSED) {
                throw new IllegalArgumentException(
                        "the streaming job refused its options (exit code " + REFUSED + ")" + job.ending());
            } else if (!p.isAlive()) {
                throw new IOException("the streaming job ended with exit code " + p.exitValue()
                        + " before it followed the logs" + job.ending());
            }
            long now = System.nanoTime();
            if (now - started > bound.toNanos()) {
                job.close();
                throw new IOException(
                        "the streaming job did not follow the logs within " + bound.toSeconds() + " s" + job.ending());
            }
            if (now - said >= PROGRESS.toNanos()) {
                progress.printf(
                        "lab: waiting for the streaming job (%d s; its output: %s)%n",
                        TimeUnit.NANOSECONDS.toSeconds(now - started), output);
                said = now;
            }
            Thread.sleep(POLL.toMillis());
        }
        return job;
    }

    /**
     * The normal end of a run: waits the drain so that the job writes the last lines it read and
     * refreshes its statistics once more, then stops it. A job that ended on its own before is a
     * failure: the tables miss what came after its end.
     */
    public void finish() throws IOException, InterruptedException {
        if (process.waitFor(drain.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("the streaming job ended early with exit code " + process.exitValue() + ending());
        }
        close();
    }

    /** Stops the job (SIGTERM, then SIGKILL after 30 s); safe to call again and from a shutdown hook. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The end of a message: where the job's output is and its last 4,000 characters. */
    private String ending() throws IOException {
        String s = printed();
        return "; its output (" + output + ") ends:\n"
                + (s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000));
    }

    /** What the job printed so far; untrusted, so bytes that are not UTF-8 become U+FFFD instead of failing. */
    private String printed() throws IOException {
        return Files.exists(output) ? new String(Files.readAllBytes(output), StandardCharsets.UTF_8) : "";
    }
}
