package dev.wasmorch.shim.app;

import dev.wasmorch.shim.app.SpinManifest.Component;
import dev.wasmorch.shim.app.SpinManifest.FileMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns a component's {@code files} grants into WASI preopens (guest path → host directory). A
 * {@code { source, destination }} grant maps its directory directly; glob grants (the string form)
 * copy the matching files into a staging directory mounted at {@code /}, as Spin does, so the module
 * sees only what was matched. Without grants the module gets no preopen and no file system at all.
 */
final class FileMounts implements AutoCloseable {

    private final Map<String, Path> preopens;
    private final Path staging;

    private FileMounts(Map<String, Path> preopens, Path staging) {
        this.preopens = Map.copyOf(preopens);
        this.staging = staging;
    }

    static FileMounts prepare(Component component, Path appDir) throws AppException {
        Map<String, Path> preopens = new LinkedHashMap<>();
        Path staging = null;
        try {
            for (FileMount m : component.files()) {
                if (m.pattern() == null) {
                    preopens.put(m.guestPath(), m.source());
                    continue;
                }
                if (staging == null) {
                    staging = Files.createTempDirectory("wasmorch-files-");
                    preopens.put("/", staging);
                }
                copyMatches(appDir, m.pattern(), staging);
            }
        } catch (IOException | UncheckedIOException e) {
            deleteTree(staging);
            throw new AppException(
                    "invalid_manifest",
                    appDir.resolve(ManifestReader.MANIFEST_NAME) + ": component " + component.id()
                            + ".files: cannot prepare the granted files: " + e.getMessage(),
                    e);
        }
        return new FileMounts(preopens, staging);
    }

    private static void copyMatches(Path appDir, String pattern, Path staging) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        List<Path> matches;
        try (Stream<Path> walk = Files.walk(appDir)) {
            matches = walk.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(appDir.relativize(p)))
                    .toList();
        }
        for (Path p : matches) {
            Path target = staging.resolve(appDir.relativize(p).toString());
            Files.createDirectories(target.getParent());
            Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    Map<String, Path> preopens() {
        return preopens;
    }

    @Override
    public void close() {
        deleteTree(staging);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left-over staging files live in the temp directory only; nothing else depends on them.
        }
    }
}
