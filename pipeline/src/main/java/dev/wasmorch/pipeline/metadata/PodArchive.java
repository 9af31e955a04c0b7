package dev.wasmorch.pipeline.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends pods, one {@code kubectl get pods -o json} item per line, to a file that
 * {@link PodSnapshotReader} reads back: a later batch run can reanalyze an experiment whose pods
 * are long gone. Each line is flushed, so the archive is complete up to the last pod seen.
 */
final class PodArchive implements Closeable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;

    PodArchive(Path file) throws IOException {
        this.file = file;
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        this.out = Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    void append(Pod pod) throws IOException {
        out.write(MAPPER.writeValueAsString(pod));
        out.newLine();
        out.flush();
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
