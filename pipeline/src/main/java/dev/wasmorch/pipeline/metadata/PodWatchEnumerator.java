package dev.wasmorch.pipeline.metadata;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/** Gives the single watch split to subtask 0 and tells every other subtask there is nothing to do. */
final class PodWatchEnumerator implements SplitEnumerator<PodWatchSplit, Boolean> {

    private final SplitEnumeratorContext<PodWatchSplit> context;
    private boolean assigned;

    PodWatchEnumerator(SplitEnumeratorContext<PodWatchSplit> context, boolean assigned) {
        this.context = context;
        this.assigned = assigned;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<PodWatchSplit> splits, int subtaskId) {
        assigned = false;
        addReader(subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        if (subtaskId != 0) {
            context.signalNoMoreSplits(subtaskId);
        } else if (!assigned && context.registeredReaders().containsKey(0)) {
            context.assignSplit(new PodWatchSplit(Map.of()), 0);
            assigned = true;
        }
    }

    @Override
    public Boolean snapshotState(long checkpointId) {
        return assigned;
    }

    @Override
    public void close() {}
}
