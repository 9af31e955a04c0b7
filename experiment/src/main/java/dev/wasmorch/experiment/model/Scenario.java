package dev.wasmorch.experiment.model;

import java.util.Locale;

/** The study's four scenarios, in the order a run goes through them. */
public enum Scenario {
    /** Image sizes: no pod. */
    SIZES,
    /** N redeploys per function and runtime, one first invocation each. */
    INSTANTIATION,
    /** {@code hey -c 1 -disable-keepalive} for a duration. */
    SERIAL,
    /** {@code hey -c 5 -q 5} for a duration (at most 1,500 requests). */
    CONCURRENT;

    /** The word on the command line and in pod labels. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scenario of(String label) {
        for (Scenario s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown scenario '" + label + "' (instantiation, serial, concurrent, sizes)");
    }
}
