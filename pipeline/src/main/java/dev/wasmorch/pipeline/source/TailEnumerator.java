package dev.wasmorch.pipeline.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the inputs periodically and hands every file identity it has not seen before to a reader,
 * one split per file. A renamed (rotated) file keeps its identity and therefore its reader; the new
 * file created under the old name gets a new split. Identities that vanish from every listing are
 * forgotten, so a recycled inode is read as the new file it is.
 */
final class TailEnumerator implements SplitEnumerator<TailSplit, TailEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(TailEnumerator.class);

    private final SplitEnumeratorContext<TailSplit> context;
    private final TailOptions options;
    private final Map<String, String> known;
    private final List<TailSplit> pending;

    TailEnumerator(SplitEnumeratorContext<TailSplit> context, TailOptions options, TailEnumeratorState state) {
        this.context = context;
        this.options = options;
        this.known = new LinkedHashMap<>(state.known());
        this.pending = new ArrayList<>(state.pending());
    }

    @Override
    public void start() {
        context.callAsync(
                this::discover,
                this::onDiscovered,
                0,
                options.discoveryInterval().toMillis());
    }

    /** Runs in a worker thread: file-system access only, no enumerator state. */
    private Map<String, String> discover() {
        Map<String, String> found = new LinkedHashMap<>();
        try {
            for (String input : options.inputs()) {
                for (Path file : FileIdentity.list(Path.of(input))) {
                    String key = FileIdentity.keyOf(file);
                    if (key != null) {
                        found.putIfAbsent(key, file.toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private void onDiscovered(Map<String, String> found, Throwable error) {
        if (error != null) {
            // A directory that is briefly unreadable must not kill a long-running job: try again next round.
            LOG.warn("listing {} failed; retrying in {}", options.inputs(), options.discoveryInterval(), error);
            return;
        }
        known.keySet().retainAll(found.keySet());
        for (Map.Entry<String, String> f : found.entrySet()) {
            if (known.putIfAbsent(f.getKey(), f.getValue()) == null) {
                LOG.info("following {} ({})", f.getValue(), f.getKey());
                pending.add(TailSplit.fromStart(f.getValue(), f.getKey()));
            }
        }
        assignPending();
    }

    private void assignPending() {
        int parallelism = context.currentParallelism();
        Map<Integer, List<TailSplit>> unassigned = new HashMap<>();
        List<TailSplit> kept = new ArrayList<>();
        for (TailSplit split : pending) {
            int owner = Math.floorMod(split.splitId().hashCode(), parallelism);
            if (context.registeredReaders().containsKey(owner)) {
                context.assignSplit(split, owner);
            } else {
                kept.add(split);
            }
        }
        pending.clear();
        pending.addAll(kept);
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed when files appear; readers never ask.
    }

    @Override
    public void addSplitsBack(List<TailSplit> splits, int subtaskId) {
        // The reader failed before a checkpoint covered these splits: their last checkpointed
        // offsets come back here and go to the reader's replacement.
        pending.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    @Override
    public TailEnumeratorState snapshotState(long checkpointId) {
        return new TailEnumeratorState(new LinkedHashMap<>(known), new ArrayList<>(pending));
    }

    @Override
    public void close() {}
}
