package dev.wasmorch.shim.task;

import java.io.OutputStream;
import java.nio.file.Path;

/** Everything a workload gets from its task: identity, root file system, spec, stdio. */
public record TaskSpec(TaskKey key, Path rootfs, BundleConfig config, OutputStream stdout, OutputStream stderr) {}
