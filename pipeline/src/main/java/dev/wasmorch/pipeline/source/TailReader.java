package dev.wasmorch.pipeline.source;

import dev.wasmorch.pipeline.model.RawLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

/**
 * Follows the files assigned to this subtask. Reads happen in the task thread, one chunk per file
 * per call, so everything emitted before a checkpoint barrier is exactly what the snapshot's
 * offsets cover: a restored job neither loses nor repeats a line. When no file has new data the
 * reader sleeps for the poll interval instead of spinning.
 */
final class TailReader implements SourceReader<RawLine, TailSplit> {

    private final TailOptions options;
    private final LineFilter filter;
    private final Map<String, TailedFile> files = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wasmorch-tail-poll");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);
    private long lastProgressMs = System.currentTimeMillis();

    TailReader(TailOptions options, LineFilter filter) {
        this.options = options;
        this.filter = filter;
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<RawLine> output) throws IOException {
        Consumer<RawLine> emit = output::collect;
        boolean more = false;
        for (Iterator<TailedFile> it = files.values().iterator(); it.hasNext(); ) {
            TailedFile f = it.next();
            more |= f.poll(emit);
            if (f.finished()) {
                f.close();
                it.remove();
            }
        }
        long now = System.currentTimeMillis();
        if (now - lastProgressMs >= options.progressInterval().toMillis()) {
            files.values().forEach(f -> f.report(emit));
            lastProgressMs = now;
        }
        if (more) {
            return InputStatus.MORE_AVAILABLE;
        }
        CompletableFuture<Void> next = new CompletableFuture<>();
        available = next;
        timer.schedule(() -> next.complete(null), options.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<TailSplit> snapshotState(long checkpointId) {
        List<TailSplit> state = new ArrayList<>(files.size());
        files.values().forEach(f -> state.add(f.snapshot()));
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<TailSplit> splits) {
        for (TailSplit split : splits) {
            try {
                files.put(split.splitId(), TailedFile.open(split, options.maxLineBytes(), filter));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + split.path() + " to follow it", e);
            }
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        // Continuous source: the enumerator never runs out of files.
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        for (TailedFile f : files.values()) {
            f.close();
        }
    }
}
