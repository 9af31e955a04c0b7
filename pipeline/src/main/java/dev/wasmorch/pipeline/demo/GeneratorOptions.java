package dev.wasmorch.pipeline.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link ClusterGenerator} generates.
 *
 * @param pods       number of pods (the nine functions alternate, each as WASM and as container)
 * @param noiseRatio share of all log lines that are K3s chatter without lifecycle events, in [0, 1)
 * @param seed       the same seed gives byte-identical files
 * @param agents     agent nodes (at least 2); pods are spread over them
 * @param gzip       write the log files gzip-compressed ({@code .gz})
 * @param journald   write the last agent's log as {@code journalctl -o json} records
 * @param clockSkew  how far the second agent's clock is off (negative: behind the server's)
 * @param start      when the first pod is created
 * @param scenario   the label put on every pod ({@code wasmorch.dev/scenario})
 */
public record GeneratorOptions(
        int pods,
        double noiseRatio,
        long seed,
        int agents,
        boolean gzip,
        boolean journald,
        Duration clockSkew,
        Instant start,
        String scenario) {

    /** The default start of the generated timeline. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-26T21:00:00Z");
    /** The default skew of agent-2: 137 ms behind the server, as NTP-less VMs drift. */
    public static final Duration DEFAULT_SKEW = Duration.ofMillis(-137);
    /** Skews beyond this would break the generator's time-ordered streaming window. */
    static final Duration MAX_SKEW = Duration.ofSeconds(2);

    public GeneratorOptions {
        if (pods < 1) {
            throw new IllegalArgumentException("pods must be at least 1, got " + pods);
        }
        if (!(noiseRatio >= 0 && noiseRatio < 1)) {
            throw new IllegalArgumentException("noise ratio must be in [0, 1), got " + noiseRatio);
        }
        if (agents < 2) {
            throw new IllegalArgumentException("agents must be at least 2, got " + agents);
        }
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(scenario, "scenario");
        if (clockSkew.abs().compareTo(MAX_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be within ±2 s, got " + clockSkew);
        }
    }

    /** Plain-text klog files, default skew, start and the scenario {@code demo}. */
    public static GeneratorOptions of(int pods, double noiseRatio, long seed, int agents) {
        return new GeneratorOptions(pods, noiseRatio, seed, agents, false, true, DEFAULT_SKEW, DEFAULT_START, "demo");
    }

    public GeneratorOptions withGzip(boolean on) {
        return new GeneratorOptions(pods, noiseRatio, seed, agents, on, journald, clockSkew, start, scenario);
    }

    public GeneratorOptions withJournald(boolean on) {
        return new GeneratorOptions(pods, noiseRatio, seed, agents, gzip, on, clockSkew, start, scenario);
    }

    public GeneratorOptions withScenario(String label) {
        return new GeneratorOptions(pods, noiseRatio, seed, agents, gzip, journald, clockSkew, start, label);
    }
}
