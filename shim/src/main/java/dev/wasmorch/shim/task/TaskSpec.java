package dev.wasmorch.shim.task;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything a workload gets from its task: identity, root file system, spec, stdio, and the pod's
 * own network namespace when its pod has one (network mode pod; empty: the node's network).
 */
public record TaskSpec(
        TaskKey key,
        Path rootfs,
        BundleConfig config,
        OutputStream stdout,
        OutputStream stderr,
        Optional<NetworkNamespace> podNetwork) {

    /** A task on the node's network. */
    public TaskSpec(TaskKey key, Path rootfs, BundleConfig config, OutputStream stdout, OutputStream stderr) {
        this(key, rootfs, config, stdout, stderr, Optional.empty());
    }
}
