package dev.wasmorch.experiment.load;

import dev.wasmorch.experiment.model.Endpoint;
import dev.wasmorch.experiment.model.Request;
import dev.wasmorch.experiment.results.HeyCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs hey, the study's load generator, as the study ran it, and reads its CSV. One hey at a time;
 * {@link #stop()} ends the running one (Ctrl-C).
 */
public final class Hey {

    /** hey's own per-request timeout (its default, written out so the bound is visible). */
    static final int REQUEST_TIMEOUT_SECONDS = 20;

    /** The study's concurrent scenario: 5 workers × 5 requests/s, at most 1,500 requests. */
    public static final int CONCURRENT_WORKERS = 5;

    public static final int CONCURRENT_RATE = 5;
    public static final int CONCURRENT_MAX_REQUESTS = 1500;

    private final String executable;
    private final AtomicReference<Process> running = new AtomicReference<>();
    private volatile boolean stopped;

    public Hey(String executable) {
        this.executable = executable;
    }

    /** What hey is asked to do: the arguments that shape the load. */
    public record Shape(List<String> args, Duration expected) {

        /** One request on a fresh connection: the first invocation after a redeploy. */
        public static Shape single() {
            return new Shape(List.of("-n", "1", "-c", "1", "-disable-keepalive"), Duration.ZERO);
        }

        /** {@code hey -c 1 -disable-keepalive -z D}. */
        public static Shape serial(Duration d) {
            return new Shape(List.of("-c", "1", "-disable-keepalive", "-z", seconds(d)), d);
        }

        /**
         * {@code hey -c 5 -q 5 -z D}, D capped so that at most 1,500 requests go out (60 s at 25 requests/s).
         */
        public static Shape concurrent(Duration d) {
            Duration cap = Duration.ofSeconds(CONCURRENT_MAX_REQUESTS / (CONCURRENT_WORKERS * CONCURRENT_RATE));
            Duration z = d.compareTo(cap) > 0 ? cap : d;
            return new Shape(
                    List.of(
                            "-c",
                            Integer.toString(CONCURRENT_WORKERS),
                            "-q",
                            Integer.toString(CONCURRENT_RATE),
                            "-z",
                            seconds(z)),
                    z);
        }

        private static String seconds(Duration d) {
            if (d.toMillis() < 1000) {
                throw new IllegalArgumentException("hey -z needs at least 1 s, not " + d);
            }
            return d.toSeconds() + "s";
        }
    }

    /** The hey executable this runs. */
    public String executable() {
        return executable;
    }

    /**
     * Runs hey against the endpoint with the function's request.
     *
     * @throws IOException when hey cannot start, ends with an error, outlives its bound (the expected
     *     duration plus two request timeouts) or prints something that is not its CSV
     */
    public HeyCsv.Output run(Endpoint endpoint, Request request, Shape shape) throws IOException, InterruptedException {
        if (stopped) {
            throw new IOException("hey: the run is stopping");
        }
        List<String> cmd = new ArrayList<>(List.of(
                executable, "-o", "csv", "-t", Integer.toString(REQUEST_TIMEOUT_SECONDS), "-m", request.method()));
        cmd.addAll(shape.args());
        Path body = null;
        if (!request.body().isEmpty()) {
            body = Files.createTempFile("wasmorch-hey", ".body");
            Files.writeString(body, request.body(), StandardCharsets.UTF_8);
            cmd.addAll(List.of("-D", body.toString()));
        }
        cmd.add(endpoint.url(request));
        Path err = Files.createTempFile("wasmorch-hey", ".err");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(err.toFile())
                    .start();
            running.set(p);
            byte[] out = p.getInputStream().readAllBytes();
            Duration bound = shape.expected().plusSeconds(2L * REQUEST_TIMEOUT_SECONDS + 10);
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("hey did not end within " + bound.toSeconds() + " s");
            }
            if (stopped) {
                throw new IOException("hey: stopped (the run is stopping)");
            }
            if (p.exitValue() != 0) {
                throw new IOException("hey exited with " + p.exitValue() + ": "
                        + Files.readString(err).strip());
            }
            try {
                return HeyCsv.parse(new String(out, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        } finally {
            running.set(null);
            Files.deleteIfExists(err);
            if (body != null) {
                Files.deleteIfExists(body);
            }
        }
    }

    /** Ends the running hey, if any, and refuses new runs. */
    public void stop() {
        stopped = true;
        Process p = running.get();
        if (p != null) {
            p.destroy();
        }
    }
}
