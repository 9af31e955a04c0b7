package dev.wasmorch.k3spatch;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds k3s-patch/ from wherever Maven runs the tests (the module or the repository root). */
final class RepoPaths {

    private RepoPaths() {}

    static Path k3sPatch() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("k3s-patch");
            if (Files.isRegularFile(candidate.resolve("verify.sh"))) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "no k3s-patch/verify.sh above " + Path.of("").toAbsolutePath());
    }
}
