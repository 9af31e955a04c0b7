package dev.wasmorch.shim.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The node's modules that ran before, on disk by content ({@code <sha256>.wasm}), so that a new
 * daemon (after a node's boot, an upgrade, a crash) compiles them in its background warm-up before
 * their pods come back, instead of inside those pods' StartContainer. What is kept is the module as
 * the image carried it, not Chicory's generated classes: they depend on Chicory's version and are
 * regenerated in the warm-up, where the compile's time costs no pod anything.
 *
 * <p>The directory is untrusted on reading like an image: only regular files named by a SHA-256
 * whose content has that SHA-256 are read, links are not followed, sizes are capped; any other
 * entry is reported and a mismatching one removed. A file that reads back is still only a module
 * to compile, checked like an image's. Nothing here fails a task: a store that cannot be written is
 * reported once per problem and the task starts as without a store.
 */
final class ModuleStore {

    /** The most modules kept: the most recently used ones, others removed. */
    static final int CAPACITY = ModuleCache.CAPACITY;
    /** A module above this size is neither kept nor read back. */
    static final long MAX_MODULE_BYTES = 64L << 20;

    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}\\.wasm");

    /** A module read back. */
    record Stored(String sha256, Path file, byte[] bytes) {}

    private final Path dir;
    private final Consumer<String> problems;
    private final Executor writer;

    /**
     * @param problems where a problem with the store is told (the daemon's log)
     * @param writer   where {@link #keep} writes: not a task's StartContainer, which only hands over
     */
    ModuleStore(Path dir, Consumer<String> problems, Executor writer) {
        this.dir = dir;
        this.problems = problems;
        this.writer = writer;
    }

    /**
     * Keeps a module that compiled, on the writer: writes it when new (a file written whole, then
     * renamed, so a reader never sees part of one), marks it used when known, and removes the least
     * recently used beyond {@link #CAPACITY}.
     */
    void keep(String sha256, byte[] bytes) {
        if (bytes.length <= MAX_MODULE_BYTES) {
            writer.execute(() -> write(sha256, bytes));
        }
    }

    /** Tells a problem with the store, or with a module read from it. */
    void tell(String problem) {
        problems.accept("wasmorch-shim: module store " + dir + ": " + problem);
    }

    private void write(String sha256, byte[] bytes) {
        try {
            ensureDirectory();
            Path file = dir.resolve(sha256 + ".wasm");
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
                return;
            }
            Path tmp = dir.resolve("." + sha256 + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            trim();
        } catch (IOException | RuntimeException e) {
            tell("cannot keep module " + sha256 + ": " + e);
        }
    }

    /**
     * The kept modules, most recently used first, at most {@link #CAPACITY}; none when the directory
     * does not exist yet.
     */
    List<Stored> load() {
        List<Stored> loaded = new ArrayList<>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return loaded;
        }
        try {
            checkDirectory();
            for (Entry e : entries()) {
                if (loaded.size() == CAPACITY) {
                    break;
                }
                Stored s = read(e);
                if (s != null) {
                    loaded.add(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            tell("cannot read: " + e);
        }
        return loaded;
    }

    private record Entry(Path file, BasicFileAttributes attributes) {}

    /** The well-named regular files, most recently used first; other entries are told. */
    private List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    continue; // another daemon's write in progress, or one that crashed
                }
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!NAME.matcher(name).matches() || !a.isRegularFile()) {
                    tell("ignored " + name + " (" + kind(a) + "; only <sha256>.wasm files are read)");
                    continue;
                }
                entries.add(new Entry(f, a));
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> e.attributes().lastModifiedTime())
                .reversed());
        return entries;
    }

    /** The file's module, or null (told, and removed when its content is not what its name says). */
    private Stored read(Entry e) throws IOException {
        String name = e.file().getFileName().toString();
        if (e.attributes().size() > MAX_MODULE_BYTES) {
            tell("ignored " + name + " (" + e.attributes().size() + " bytes, above " + MAX_MODULE_BYTES + ")");
            return null;
        }
        byte[] bytes;
        try (SeekableByteChannel ch =
                        Files.newByteChannel(e.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                InputStream in = Channels.newInputStream(ch)) {
            // read at most one byte past the cap: the file may have grown since its attributes
            bytes = in.readNBytes((int) MAX_MODULE_BYTES + 1);
        }
        String sha256 = name.substring(0, name.length() - ".wasm".length());
        if (bytes.length > MAX_MODULE_BYTES || !ModuleCache.sha256(bytes).equals(sha256)) {
            tell("removed " + name + " (its content's SHA-256 is not its name)");
            Files.deleteIfExists(e.file());
            return null;
        }
        return new Stored(sha256, e.file(), bytes);
    }

    private void trim() throws IOException {
        List<Entry> entries = entries();
        for (Entry e : entries.subList(Math.min(CAPACITY, entries.size()), entries.size())) {
            Files.deleteIfExists(e.file());
        }
    }

    private void ensureDirectory() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another daemon made it meanwhile
            }
        }
        checkDirectory();
    }

    /** The store is a directory of its own, not a link to one somewhere else. */
    private void checkDirectory() throws IOException {
        BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            throw new IOException(dir + " is a " + kind(a) + ", not a directory");
        }
    }

    private static String kind(BasicFileAttributes a) {
        return a.isSymbolicLink()
                ? "symbolic link"
                : a.isDirectory() ? "directory" : a.isRegularFile() ? "file" : "special file";
    }
}
