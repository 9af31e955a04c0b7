package dev.wasmorch.shim.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Which cgroup directories the daemon made for a task, kept in the task's bundle
 * ({@code wasmorch-cgroups}): one absolute path a line, deepest first in each hierarchy. The
 * daemon's own record of them is in memory and dies with it; after a crash, containerd cleans the
 * task up with the launcher's {@code delete}, which removes them from this file instead
 * (launcher.c, remove_recorded_cgroups; it trusts none of it).
 */
final class CgroupRecord {

    /** The file's name in the bundle; launcher.c reads the same name. */
    static final String FILE = "wasmorch-cgroups";

    private CgroupRecord() {}

    /**
     * Writes the record, whole or not at all (a temporary file renamed over it): the launcher never
     * reads half a list.
     */
    static void write(Path bundle, List<Path> dirs) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path dir : dirs) {
            text.append(dir).append('\n');
        }
        Path tmp = bundle.resolve(FILE + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, bundle.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the record once the daemon has removed the task's cgroups itself. */
    static void remove(Path bundle) throws IOException {
        Files.deleteIfExists(bundle.resolve(FILE));
    }
}
