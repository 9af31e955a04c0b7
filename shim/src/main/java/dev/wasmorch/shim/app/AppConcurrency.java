package dev.wasmorch.shim.app;

import java.time.Duration;
import java.util.Map;

/**
 * How many of one app's requests run a module at the same time, and how long a request may wait for
 * one of those workers. Set per app in the container's environment; the shim daemon's environment
 * gives the node's default ({@link ShimSettings#concurrency()}).
 *
 * @param workers      {@value #WORKERS_KEY}: requests that run at once, 1 to {@value #MAX_WORKERS},
 *                     default {@code max(4, 2 × cores)}; each may hold up to the per-instance memory cap
 * @param queueTimeout {@value #QUEUE_TIMEOUT_KEY}: the longest a request waits for a worker, more than
 *                     0 and at most 10 minutes, default 5 s; a request that waited longer is answered
 *                     503 without running its module
 */
public record AppConcurrency(int workers, Duration queueTimeout) {

    public static final String WORKERS_KEY = "WASMORCH_WORKERS";
    public static final String QUEUE_TIMEOUT_KEY = "WASMORCH_QUEUE_TIMEOUT";
    /** More would let one app's instances take more memory than a node is likely to have. */
    static final int MAX_WORKERS = 256;
    /** A longer wait outlasts every HTTP client and proxy; such a value is a unit mistake (ms for s). */
    static final Duration MAX_QUEUE_TIMEOUT = Duration.ofMinutes(10);

    /** Today's worker count; 5 s queue limit: well below the 30 s request limit loops are held to. */
    public static final AppConcurrency DEFAULT =
            new AppConcurrency(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(5));

    /** @throws IllegalArgumentException naming the key of the value out of bounds */
    public AppConcurrency {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException(
                    WORKERS_KEY + ": must be from 1 to " + MAX_WORKERS + " workers, got " + workers);
        }
        if (queueTimeout == null
                || queueTimeout.isNegative()
                || queueTimeout.isZero()
                || queueTimeout.compareTo(MAX_QUEUE_TIMEOUT) > 0) {
            throw new IllegalArgumentException(QUEUE_TIMEOUT_KEY + ": must be more than 0 and at most "
                    + MAX_QUEUE_TIMEOUT.toMinutes() + " minutes, got "
                    + (queueTimeout == null ? "none" : queueTimeout.toMillis() + " ms"));
        }
    }

    /**
     * The values {@code env} sets, {@code defaults} for the keys it does not set (or leaves blank).
     *
     * @throws IllegalArgumentException naming the key whose value cannot be read or is out of bounds
     */
    static AppConcurrency from(Map<String, String> env, AppConcurrency defaults) {
        String workers = env.get(WORKERS_KEY);
        String queueTimeout = env.get(QUEUE_TIMEOUT_KEY);
        return new AppConcurrency(
                workers == null || workers.isBlank() ? defaults.workers() : parseWorkers(workers),
                ShimSettings.parseDuration(QUEUE_TIMEOUT_KEY, queueTimeout, defaults.queueTimeout()));
    }

    private static int parseWorkers(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    WORKERS_KEY + ": expected a whole number from 1 to " + MAX_WORKERS + ", got '" + value + "'");
        }
    }
}
