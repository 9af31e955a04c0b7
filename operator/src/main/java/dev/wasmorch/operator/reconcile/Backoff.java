package dev.wasmorch.operator.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exponential delay between retries per WasmApp (keyed by UID) while the port registry is down or
 * a port is missing: initial, 2x initial, ... capped at max; reset once a reconciliation succeeds.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
    }

    Duration next(String key) {
        int attempt = attempts.merge(key, 1, Integer::sum) - 1;
        // Shifting past 30 overflows; by then the cap has long been reached.
        long millis = initial.toMillis() << Math.min(attempt, 30);
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    void reset(String key) {
        attempts.remove(key);
    }
}
