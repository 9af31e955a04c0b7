package dev.wasmorch.shim.task;

import dev.wasmorch.shim.proto.Mount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mounts the snapshot containerd hands to Create (overlay or bind mounts) at {@code bundle/rootfs},
 * as the runc shim does, with the system's {@code mount(8)}: it understands every option string
 * containerd's snapshotters produce (lowerdir lists, bind/rbind, ro).
 */
public final class Rootfs {

    private Rootfs() {
    }

    /** Mounts in order; on a failure unmounts what was mounted and reports mount's message. */
    static void mount(List<Mount> mounts, Path target) throws BundleException {
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new BundleException("cannot create " + target + ": " + e.getMessage());
        }
        int done = 0;
        for (Mount m : mounts) {
            List<String> cmd = new ArrayList<>(List.of("mount"));
            boolean bind = "bind".equals(m.type()) || m.options().contains("bind") || m.options().contains("rbind");
            if (!bind) {
                cmd.addAll(List.of("-t", m.type()));
            }
            if (!m.options().isEmpty()) {
                cmd.addAll(List.of("-o", String.join(",", m.options())));
            }
            cmd.addAll(List.of(m.source(), target.toString()));
            try {
                run(cmd);
                done++;
            } catch (BundleException e) {
                for (int i = 0; i < done; i++) {
                    unmountQuietly(target);
                }
                throw new BundleException("rootfs mount " + m.type() + " " + m.source() + " on " + target + " failed: "
                        + e.getMessage());
            }
        }
    }

    public static void unmount(Path target) throws BundleException {
        run(List.of("umount", target.toString()));
    }

    /** Whether {@code target} is a mount point (listed in /proc/self/mountinfo). */
    public static boolean isMounted(Path target) throws IOException {
        String t = target.toAbsolutePath().normalize().toString();
        try (var lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            // field 5 is the mount point, with spaces and the like escaped as octal (\040)
            return lines.map(l -> l.split(" ")).anyMatch(f -> f.length > 4 && unescape(f[4]).equals(t));
        }
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void unmountQuietly(Path target) {
        try {
            unmount(target);
        } catch (BundleException ignored) {
            // best effort while undoing a failed mount; the first error is the one reported
        }
    }

    private static void run(List<String> cmd) throws BundleException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BundleException(String.join(" ", cmd) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new BundleException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out);
            }
        } catch (IOException e) {
            throw new BundleException(String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException(String.join(" ", cmd) + ": interrupted");
        }
    }
}
