package dev.wasmorch.experiment.cli;

import java.nio.file.Path;

/** The wasmorch checkout the runner belongs to: {@code WASMORCH_ROOT} (bin/wasmorch sets it), else the working directory. */
final class Checkout {

    private Checkout() {}

    static Path root() {
        String root = System.getenv("WASMORCH_ROOT");
        return Path.of(root != null ? root : "").toAbsolutePath();
    }
}
