package dev.wasmorch.pipeline.cli;

import picocli.CommandLine.Option;

/** Size and seed of a generated cluster, shared by {@code demo} and {@code generate} (a picocli mixin). */
public final class ClusterOptions {

    @Option(
            names = "--pods",
            defaultValue = "1800",
            paramLabel = "N",
            description = "Pods (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(
            names = "--seed",
            defaultValue = "2023",
            paramLabel = "SEED",
            description = "Random seed; the same seed writes the same files (default: ${DEFAULT-VALUE}).")
    long seed;
}
