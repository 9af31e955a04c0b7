package dev.wasmorch.shim.app;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.wasmorch.shim.app.SpinManifest.Component;
import dev.wasmorch.shim.app.SpinManifest.FileMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
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
                    requirePlainTree(appDir, m.source());
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
            // Files.walk never descends through a link; each match is then judged by its own
            // attributes (lstat), never by what a link points to.
            matches = walk.filter(p -> matcher.matches(appDir.relativize(p))).toList();
        }
        for (Path p : matches) {
            BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW_LINKS);
            requirePlainEntry(appDir, p, attrs);
            if (attrs.isDirectory()) {
                continue;
            }
            Path target = staging.resolve(appDir.relativize(p).toString());
            Files.createDirectories(target.getParent());
            Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, NOFOLLOW_LINKS);
        }
    }

    /**
     * A granted directory is handed to the module as it is, so everything below it must be a plain
     * directory or a regular file: a link inside it would let the module read or write the host
     * outside the grant, a hard link would alias a host file, and devices, FIFOs and sockets are no
     * files a function needs.
     */
    private static void requirePlainTree(Path appDir, Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                requirePlainEntry(appDir, dir, attrs);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                requirePlainEntry(appDir, file, attrs);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void requirePlainEntry(Path appDir, Path entry, BasicFileAttributes attrs) throws IOException {
        String kind = null;
        if (attrs.isSymbolicLink()) {
            kind = "a symbolic link";
        } else if (attrs.isOther()) {
            kind = "a device, FIFO or socket";
        } else if (attrs.isRegularFile() && (Integer) Files.getAttribute(entry, "unix:nlink", NOFOLLOW_LINKS) > 1) {
            kind = "a hard link";
        }
        if (kind != null) {
            throw new IOException(
                    appDir.relativize(entry) + " is " + kind + "; a grant may hold only regular files and directories");
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
