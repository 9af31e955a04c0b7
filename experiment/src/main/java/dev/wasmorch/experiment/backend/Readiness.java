package dev.wasmorch.experiment.backend;

import java.time.Duration;

/**
 * The bounds of waiting for a pod: how often to probe, how long at most, and how many times a
 * failed deploy is tried again before it is recorded as a failure.
 *
 * @param interval between two readiness probes
 * @param timeout from the request to run the pod until it must answer
 * @param attempts deploys of one pod before its failure is recorded (1 = no retry)
 */
public record Readiness(Duration interval, Duration timeout, int attempts) {

    public Readiness {
        if (interval.isNegative() || interval.isZero() || timeout.compareTo(interval) < 0) {
            throw new IllegalArgumentException(
                    "readiness: interval " + interval + " must be > 0 and ≤ timeout " + timeout);
        }
        if (attempts < 1 || attempts > 10) {
            throw new IllegalArgumentException("readiness: attempts " + attempts + " is not 1..10");
        }
    }

    /** The defaults: probe every 5 ms (the readiness step is measured), 60 s to answer, 3 attempts. */
    public static Readiness defaults() {
        return new Readiness(Duration.ofMillis(5), Duration.ofSeconds(60), 3);
    }

    /** The most probes one wait makes. */
    public long maxProbes() {
        return timeout.toNanos() / interval.toNanos() + 1;
    }
}
