package dev.wasmorch.experiment.cli;

import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.local.LocalBackends;
import dev.wasmorch.experiment.model.Catalog;
import dev.wasmorch.experiment.model.Runtime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The local backend's options. */
final class LocalOptions {

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description =
                    "Local backend: where the private containerd keeps its root, state and sockets (default: a new"
                            + " temp dir, removed at the end).")
    Path work;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "Local backend: the function images of functions/build.sh (default:"
                    + " functions/target/functions, built when missing).")
    Path images;

    Backend backend(Catalog catalog) throws IOException {
        Path root = Checkout.root();
        return LocalBackends.create(
                root,
                work,
                images != null
                        ? images
                        : root.resolve("functions").resolve("target").resolve("functions"),
                catalog);
    }

    Map<Runtime, String> runtimeClasses() {
        return LocalBackends.HANDLERS;
    }
}
