package dev.wasmorch.pipeline.join;

import java.io.Serializable;
import java.time.Duration;

/**
 * Settings of the lifecycle join.
 *
 * @param classifier        how pods are classified and named
 * @param metadataExpected  true when the user gave pod metadata (pods without it are then flagged)
 * @param plausibleMax      intervals above this are flagged {@code implausible_interval}
 * @param streaming         STREAMING mode: emit on completion and time out; BATCH: emit at the end
 * @param completionTimeout streaming: emit an incomplete lifecycle this long after its first event
 * @param stateTtl          streaming: forget a pod this long after its last event or metadata
 */
public record JoinOptions(
        ClassifierOptions classifier,
        boolean metadataExpected,
        Duration plausibleMax,
        boolean streaming,
        Duration completionTimeout,
        Duration stateTtl)
        implements Serializable {

    public static JoinOptions batch(ClassifierOptions classifier, boolean metadataExpected) {
        return new JoinOptions(
                classifier,
                metadataExpected,
                Duration.ofSeconds(600),
                false,
                Duration.ofMinutes(5),
                Duration.ofHours(1));
    }

    public JoinOptions withPlausibleMax(Duration max) {
        return new JoinOptions(classifier, metadataExpected, max, streaming, completionTimeout, stateTtl);
    }

    public JoinOptions withMetadataExpected(boolean expected) {
        return new JoinOptions(classifier, expected, plausibleMax, streaming, completionTimeout, stateTtl);
    }

    /**
     * Streaming settings. The state TTL must exceed the completion timeout by a second at least:
     * state dropped before the timeout would lose pods never emitted, and the join tells its
     * timers apart by their (whole-second) times.
     */
    public JoinOptions asStreaming(Duration timeout, Duration ttl) {
        if (ttl.compareTo(timeout.plusSeconds(1)) < 0) {
            throw new IllegalArgumentException("--state-ttl (" + ttl + ") must be at least a second longer than"
                    + " --completion-timeout (" + timeout + ")");
        }
        return new JoinOptions(classifier, metadataExpected, plausibleMax, true, timeout, ttl);
    }
}
