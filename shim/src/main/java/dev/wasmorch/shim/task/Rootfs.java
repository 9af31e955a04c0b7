package dev.wasmorch.shim.task;

import dev.wasmorch.shim.proto.types.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Mounts the snapshot containerd hands to Create (overlay or bind mounts) at {@code bundle/rootfs},
 * as the runc shim does: options parsed as containerd parses them ({@link MountOptions}), mounted
 * with mount(2) through {@link MountSyscalls}.
 */
public final class Rootfs {

    private Rootfs() {}

    /** Mounts in order; on a failure unmounts what was mounted and reports why. */
    static void mount(List<Mount> mounts, Path target) throws BundleException {
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new BundleException("cannot create " + target + ": " + e.getMessage());
        }
        int done = 0;
        for (Mount m : mounts) {
            try {
                mountOne(m, target.toString());
                done++;
            } catch (BundleException e) {
                for (int i = 0; i < done; i++) {
                    unmountQuietly(target);
                }
                throw new BundleException("rootfs mount " + m.getType() + " " + m.getSource() + " on " + target
                        + " failed: " + e.getMessage());
            }
        }
    }

    private static void mountOne(Mount m, String target) throws BundleException {
        MountOptions o = MountOptions.parse(m.getOptionsList());
        int err = MountSyscalls.mount(m.getSource(), target, m.getType(), o.flags(), o.data());
        if (err != 0) {
            throw new BundleException("mount(2): " + MountSyscalls.describe(err));
        }
        if (o.remountReadOnly()) {
            err = MountSyscalls.mount("", target, "", o.flags() | MountOptions.MS_REMOUNT, null);
            if (err != 0) {
                unmountQuietly(Path.of(target));
                throw new BundleException("remounting read-only: " + MountSyscalls.describe(err));
            }
        }
    }

    /** Unmounts the topmost mount on {@code target}. */
    public static void unmount(Path target) throws BundleException {
        int err = MountSyscalls.unmount(target.toString());
        if (err != 0) {
            throw new BundleException("umount " + target + ": " + MountSyscalls.describe(err));
        }
    }

    private static void unmountQuietly(Path target) {
        try {
            unmount(target);
        } catch (BundleException ignored) {
            // best effort while undoing a failed mount; the first error is the one reported
        }
    }
}
