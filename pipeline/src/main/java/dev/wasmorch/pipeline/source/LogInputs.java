package dev.wasmorch.pipeline.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Expands the log inputs a user names: files as given, directories recursively (every regular file
 * whose name does not start with a dot; plain or gzip, the reader tells them apart). The result is
 * sorted and free of duplicates so runs are repeatable.
 */
public final class LogInputs {

    private LogInputs() {}

    public static List<Path> resolve(List<String> paths) throws InputException {
        if (paths == null || paths.isEmpty()) {
            throw new InputException("no log input given");
        }
        TreeSet<Path> files = new TreeSet<>();
        for (String given : paths) {
            Path p = Path.of(given).normalize();
            if (!Files.exists(p)) {
                throw new InputException("log input does not exist: " + given);
            }
            if (Files.isDirectory(p)) {
                files.addAll(filesUnder(p, given));
            } else {
                files.add(readable(p, given));
            }
        }
        return new ArrayList<>(files);
    }

    private static List<Path> filesUnder(Path dir, String given) throws InputException {
        if (!Files.isReadable(dir)) {
            throw new InputException("log directory is not readable: " + given);
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
                    found.add(readable(f, f.toString()));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InputException("cannot list log directory " + given + ": " + e.getMessage(), e);
        }
        return found;
    }

    private static Path readable(Path f, String shown) throws InputException {
        if (!Files.isRegularFile(f)) {
            throw new InputException("log input is not a regular file: " + shown);
        }
        if (!Files.isReadable(f)) {
            throw new InputException("log file is not readable: " + shown);
        }
        return f;
    }
}
