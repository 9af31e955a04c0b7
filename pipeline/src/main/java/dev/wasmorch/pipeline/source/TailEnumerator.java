package dev.wasmorch.pipeline.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the inputs periodically and hands every file identity it has not seen before to a reader,
 * one split per file. A renamed (rotated) file keeps its identity and therefore its reader; the new
 * file created under the old name gets a new split. Identities that vanish from every listing are
 * forgotten, so a recycled inode is read as the new file it is.
 *
 * <p>A copy-truncate rotation's copy is a new identity holding lines already followed. It is
 * recognised by its content: a new file that starts with the same bytes (at least
 * {@value FileHead#MIN_MATCH}) as a followed file did at this or the previous listing is not read
 * again; the followed file's reader reads from it what it had not read yet ({@link TailedFile}).
 * The heads live in memory only: a copy made while the job was down is read as a new file.
 */
final class TailEnumerator implements SplitEnumerator<TailSplit, TailEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(TailEnumerator.class);

    private final SplitEnumeratorContext<TailSplit> context;
    private final TailOptions options;
    private final Map<String, String> known;
    private final List<TailSplit> pending;
    /** Heads of the followed files at the previous listing, by file key. */
    private Map<String, FileHead> heads = Map.of();

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

    /** A listed file and its first bytes (read once per listing, compared in memory). */
    private record Listed(String path, byte[] head) {}

    /** Runs in a worker thread: file-system access only, no enumerator state. */
    private Map<String, Listed> discover() {
        Map<String, Listed> found = new LinkedHashMap<>();
        try {
            for (String input : options.inputs()) {
                for (Path file : FileIdentity.list(Path.of(input))) {
                    String key = FileIdentity.keyOf(file);
                    byte[] head = key == null ? null : FileHead.bytesOf(file);
                    if (head != null) {
                        found.putIfAbsent(key, new Listed(file.toString(), head));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private void onDiscovered(Map<String, Listed> found, Throwable error) {
        if (error != null) {
            // A directory that is briefly unreadable must not kill a long-running job: try again next round.
            LOG.warn("listing {} failed; retrying in {}", options.inputs(), options.discoveryInterval(), error);
            return;
        }
        known.keySet().retainAll(found.keySet());
        // Only files followed before this listing can be originals: of two files with one head
        // listed together for the first time, neither is taken for the other's copy.
        Set<String> before = new HashSet<>(known.keySet());
        Map<String, FileHead> now = new HashMap<>();
        found.forEach((key, f) -> now.put(key, FileHead.of(f.head())));
        for (Map.Entry<String, Listed> f : found.entrySet()) {
            String key = f.getKey();
            String path = f.getValue().path();
            if (known.containsKey(key)) {
                continue;
            }
            known.put(key, path);
            String original = copied(f.getValue().head(), before, now);
            if (original != null) {
                LOG.info(
                        "{} ({}) starts as {} did: a copy-truncate copy, whose unread lines that file's reader takes",
                        path,
                        key,
                        original);
                continue;
            }
            LOG.info("following {} ({})", path, key);
            pending.add(TailSplit.fromStart(path, key));
        }
        heads = now;
        assignPending();
    }

    /** The followed file a new file with these first bytes is a copy of, or {@code null}. */
    private String copied(byte[] head, Set<String> before, Map<String, FileHead> now) {
        for (Map<String, FileHead> round : List.of(heads, now)) {
            for (Map.Entry<String, FileHead> e : round.entrySet()) {
                if (before.contains(e.getKey()) && e.getValue().startsOf(head)) {
                    return known.get(e.getKey());
                }
            }
        }
        return null;
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
