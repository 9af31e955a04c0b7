package dev.wasmorch.pipeline.metadata;

import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.source.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads pod metadata from a file, because the pods of a past experiment are usually gone from the
 * API. Accepts {@code kubectl get pods -A -o json} (a List), a single Pod, and JSON lines of pods
 * (the streaming job's archive), plain or gzipped. A pod item that cannot be converted is an error
 * naming the file and the item: metadata is the ground truth for classification, so a silently
 * skipped pod would silently change the results. For the same reason a snapshot of the wrong shape
 * (another kind, a List without items, null items) or one without any pod is refused.
 */
public final class PodSnapshotReader {

    private PodSnapshotReader() {}

    /** All pods, in memory: for small snapshots and tests. */
    public static List<PodMetadata> read(Path file) throws InputException {
        List<PodMetadata> out = new ArrayList<>();
        forEach(file, out::add);
        return out;
    }

    /** Checks every pod of the snapshot without keeping them; returns how many there are. */
    public static long validate(Path file) throws InputException {
        long[] n = {0};
        forEach(file, pod -> n[0]++);
        return n[0];
    }

    public static void forEach(Path file, Consumer<PodMetadata> consumer) throws InputException {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new InputException("pod snapshot " + file + " does not exist or is not readable");
        }
        try (InputStream in = open(file);
                PodSnapshotItems items = new PodSnapshotItems(in, file.toString())) {
            long count = 0;
            for (PodMetadata pod = items.next(); pod != null; pod = items.next()) {
                consumer.accept(pod);
                count++;
            }
            if (count == 0) {
                // An empty file or an empty List is a wrong export, not a cluster without pods: every
                // pod would silently fall back to the weaker classification rules.
                throw new InputException("pod snapshot " + file + " holds no pods (empty file or empty items)");
            }
        } catch (IOException e) {
            throw new InputException("cannot read pod snapshot " + file + ": " + e.getMessage());
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
