package dev.wasmorch.pipeline.model;

/** The two kinds of workload the analyzer compares; {@link #label()} is what outputs print. */
public enum Runtime {
    WASM("wasm"),
    CONTAINER("container");

    private final String label;

    Runtime(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Runtime fromLabel(String label) {
        for (Runtime r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown runtime '" + label + "' (expected wasm or container)");
    }
}
