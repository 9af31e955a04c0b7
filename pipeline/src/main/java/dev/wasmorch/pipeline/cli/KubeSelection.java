package dev.wasmorch.pipeline.cli;

import picocli.CommandLine.Option;

/** Which pods {@code --kube} reads: shared by {@code analyze} and {@code stream} (a picocli mixin). */
public final class KubeSelection {

    @Option(names = "--namespace", paramLabel = "NS", description = "With --kube: only this namespace (default: all).")
    String namespace;

    @Option(names = "--selector", paramLabel = "SELECTOR", description = "With --kube: label selector, e.g. app=aes.")
    String selector;
}
