package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.source.InputException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an output directory before any work starts, so that a wrong {@code --out} costs one line and
 * exit code 2 instead of a stack trace after the analysis ran.
 */
final class OutputDirectory {

    private OutputDirectory() {}

    /** Creates {@code dir} if needed and proves it writable by creating and removing a file in it. */
    static Path prepare(Path dir) throws InputException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new InputException(
                    "output directory " + dir + " cannot be used: " + e.getFile() + " exists and is not a directory");
        } catch (IOException | SecurityException e) {
            throw new InputException("output directory " + dir + " cannot be created: " + reason(e));
        }
        // Permission bits do not say it (root ignores them, /proc and read-only mounts refuse root): try.
        try {
            Files.delete(Files.createTempFile(dir, ".wasmorch-probe", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new InputException("output directory " + dir + " is not writable: " + reason(e));
        }
        return dir;
    }

    private static String reason(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
