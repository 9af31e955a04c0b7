package dev.wasmorch.shim.app;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.wasmorch.shim.app.SpinManifest.Component;
import dev.wasmorch.shim.app.SpinManifest.FileMount;
import dev.wasmorch.shim.task.WorkloadException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Turns a component's {@code files} grants into WASI preopens (guest path → host directory). Every
 * grant is copied, when the app starts, into a private staging tree (created 0700 in the temp
 * directory, so only the shim's user can change it): a {@code { source, destination }} grant copies
 * its directory and preopens the copy at its destination; glob grants (the string form) copy the
 * matching files into one directory preopened at {@code /}, as Spin does. The module never sees a
 * directory of the image itself, so a link put there after the start is never reached, and its
 * writes land in the copy. Without grants the module gets no preopen and no file system at all.
 *
 * <p>The copy never follows a link: each directory is opened relative to its parent's descriptor
 * with {@code O_NOFOLLOW} ({@link SecureDirectoryStream}, openat(2)), each entry is judged by
 * fstatat(2) without following, and each file is read through a descriptor opened with
 * {@code O_NOFOLLOW}. Swapping an entry for a link while the copy runs makes the open fail instead
 * of leading outside.
 */
final class FileMounts implements AutoCloseable {

    private final Map<String, Path> preopens;
    private final Path staging;

    private FileMounts(Map<String, Path> preopens, Path staging) {
        this.preopens = Map.copyOf(preopens);
        this.staging = staging;
    }

    static FileMounts prepare(Component component, Path appDir) throws WorkloadException {
        Map<String, Path> preopens = new LinkedHashMap<>();
        Path staging = null;
        try {
            List<String> globs = new ArrayList<>();
            for (FileMount m : component.files()) {
                if (m.pattern() != null) {
                    globs.add(m.pattern());
                    continue;
                }
                if (staging == null) {
                    staging = Files.createTempDirectory("wasmorch-files-");
                }
                Path copy = Files.createDirectory(staging.resolve("grant-" + preopens.size()));
                try (SecureDirectoryStream<Path> source = openBelow(appDir, m.source())) {
                    copyTree(appDir, source, m.source(), m.source(), copy, null);
                }
                preopens.put(m.guestPath(), copy);
            }
            if (!globs.isEmpty()) {
                if (staging == null) {
                    staging = Files.createTempDirectory("wasmorch-files-");
                }
                Path copy = Files.createDirectory(staging.resolve("globs"));
                List<PathMatcher> matchers = globs.stream()
                        .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g))
                        .toList();
                try (SecureDirectoryStream<Path> root = secure(Files.newDirectoryStream(appDir))) {
                    copyTree(
                            appDir,
                            root,
                            appDir,
                            appDir,
                            copy,
                            rel -> matchers.stream().anyMatch(pm -> pm.matches(rel)));
                }
                preopens.put("/", copy);
            }
        } catch (IOException | UncheckedIOException e) {
            deleteTree(staging);
            throw new WorkloadException(
                    "invalid_manifest",
                    appDir.resolve(ManifestReader.MANIFEST_NAME) + ": component " + component.id()
                            + ".files: cannot prepare the granted files: " + e.getMessage(),
                    e);
        }
        return new FileMounts(preopens, staging);
    }

    /**
     * Opens {@code dir} (inside the app directory, which containerd provides and is trusted) one
     * component at a time, so a link on the way (an image's {@code data -> /} with a grant of
     * {@code data/etc}) refuses the grant instead of being followed.
     */
    private static SecureDirectoryStream<Path> openBelow(Path appDir, Path dir) throws IOException {
        SecureDirectoryStream<Path> current = secure(Files.newDirectoryStream(appDir));
        if (dir.equals(appDir)) {
            return current;
        }
        Path shown = appDir;
        for (Path name : appDir.relativize(dir)) {
            shown = shown.resolve(name);
            try (SecureDirectoryStream<Path> parent = current) {
                BasicFileAttributes attrs = attributes(parent, name);
                requirePlainEntry(appDir, shown, attrs);
                current = secure(parent.newDirectoryStream(name, NOFOLLOW_LINKS));
            }
        }
        return current;
    }

    /**
     * Copies the entries of {@code dir} (the path {@code shown}) into {@code target}, keeping their
     * paths relative to {@code base}. {@code glob} selects by app-relative path what a glob grant
     * copies; it is {@code null} for a plain grant, which copies everything.
     * Every entry a grant covers must be a plain directory or a regular file: a link would let the
     * module reach the host outside the grant, a hard link would alias a host file, and devices,
     * FIFOs and sockets are no files a function needs. A glob grant judges only what it matches and
     * descends into every real directory (never through a link) to find matches.
     */
    private static void copyTree(
            Path appDir, SecureDirectoryStream<Path> dir, Path shown, Path base, Path target, Predicate<Path> glob)
            throws IOException {
        for (Path entry : dir) {
            Path name = entry.getFileName();
            Path entryShown = shown.resolve(name);
            BasicFileAttributes attrs = attributes(dir, name);
            boolean covered = glob == null || glob.test(appDir.relativize(entryShown));
            if (covered) {
                requirePlainEntry(appDir, entryShown, attrs);
            }
            if (attrs.isDirectory()) {
                try (SecureDirectoryStream<Path> sub = secure(dir.newDirectoryStream(name, NOFOLLOW_LINKS))) {
                    copyTree(appDir, sub, entryShown, base, target, glob);
                }
            } else if (covered) {
                copyFile(
                        dir,
                        name,
                        attrs,
                        target.resolve(base.relativize(entryShown).toString()));
            }
        }
        if (glob == null) {
            // A plain grant keeps its empty directories; glob grants hold only what they matched.
            Files.createDirectories(target.resolve(base.relativize(shown).toString()));
        }
    }

    private static void copyFile(SecureDirectoryStream<Path> dir, Path name, BasicFileAttributes attrs, Path target)
            throws IOException {
        Files.createDirectories(target.getParent());
        try (SeekableByteChannel in = dir.newByteChannel(name, Set.of(StandardOpenOption.READ, NOFOLLOW_LINKS));
                OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            Channels.newInputStream(in).transferTo(out);
        }
        // Static-file servers derive Last-Modified and ETags from it: the copy keeps the image's time.
        Files.setLastModifiedTime(target, attrs.lastModifiedTime());
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW_LINKS)
                .readAttributes();
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

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream) throws IOException {
        if (stream instanceof SecureDirectoryStream<Path> s) {
            return s;
        }
        stream.close();
        throw new IOException("this platform cannot open directories relative to a descriptor (openat), "
                + "so granted files cannot be copied without following links");
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
