package dev.wasmorch.pipeline.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Identifies files by what survives a rename (device and inode on Linux), so a rotated file is
 * recognized under its new name and a new file under an old name is recognized as new.
 */
final class FileIdentity {

    /** Compressed rotations are someone else's copy of lines already followed; never tail them. */
    private static final List<String> COMPRESSED = List.of(".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip");

    private FileIdentity() {}

    /** The file's identity, or {@code null} when it does not exist (any more). */
    static String keyOf(Path file) throws IOException {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = attrs.fileKey();
            // File systems without inodes: the path is the best identity there is.
            return key != null
                    ? key.toString()
                    : file.toAbsolutePath().normalize().toString();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The followable files an input names: itself when a file, its regular files when a directory. */
    static List<Path> list(Path input) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(input)) {
            try (Stream<Path> s = Files.list(input)) {
                s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(p))
                        .filter(p -> !isCompressed(p))
                        .sorted()
                        .forEach(files::add);
            }
        } else if (Files.isRegularFile(input)) {
            files.add(input);
        }
        return files;
    }

    /** Where a file with this identity lives now: its old path, else a sibling it was renamed to. */
    static Path locate(Path original, String fileKey) throws IOException {
        if (fileKey.equals(keyOf(original))) {
            return original;
        }
        Path dir = original.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        for (Path sibling : list(dir)) {
            if (fileKey.equals(keyOf(sibling))) {
                return sibling;
            }
        }
        return null;
    }

    private static boolean isCompressed(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return COMPRESSED.stream().anyMatch(name::endsWith);
    }
}
