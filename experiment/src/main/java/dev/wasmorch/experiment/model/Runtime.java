package dev.wasmorch.experiment.model;

import java.util.Locale;

/** The two sides of every comparison. {@link #label()} is the word the analyzer and the pod labels use. */
public enum Runtime {
    WASM,
    CONTAINER;

    /** {@code wasm} or {@code container} (contract's {@code PodLabels.WASM} / {@code CONTAINER}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
