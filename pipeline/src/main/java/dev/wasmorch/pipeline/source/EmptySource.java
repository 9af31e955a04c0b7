package dev.wasmorch.pipeline.source;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source of no records. An analysis often lacks one input (no metadata, no CSV samples)
 * while the graph still needs the stream; {@code env.fromData} refuses empty collections and a
 * zero-count generator source emits a record in Flink 2.0.
 */
public final class EmptySource<T> implements Source<T, EmptySource.NoSplit, Void>, ResultTypeQueryable<T> {

    private final TypeInformation<T> type;

    public EmptySource(TypeInformation<T> type) {
        this.type = type;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<NoSplit, Void> createEnumerator(SplitEnumeratorContext<NoSplit> context) {
        return new NoSplits(context);
    }

    @Override
    public SplitEnumerator<NoSplit, Void> restoreEnumerator(SplitEnumeratorContext<NoSplit> context, Void checkpoint) {
        return new NoSplits(context);
    }

    @Override
    public SimpleVersionedSerializer<NoSplit> getSplitSerializer() {
        return new NothingSerializer<>();
    }

    @Override
    public SimpleVersionedSerializer<Void> getEnumeratorCheckpointSerializer() {
        return new NothingSerializer<>();
    }

    @Override
    public SourceReader<T, NoSplit> createReader(SourceReaderContext context) {
        return new EndedReader<>();
    }

    /** The split type; no instance is ever made. */
    public static final class NoSplit implements SourceSplit {
        private NoSplit() {}

        @Override
        public String splitId() {
            return "none";
        }
    }

    private record NoSplits(SplitEnumeratorContext<NoSplit> context) implements SplitEnumerator<NoSplit, Void> {
        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public void addSplitsBack(List<NoSplit> splits, int subtaskId) {}

        @Override
        public void addReader(int subtaskId) {
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public Void snapshotState(long checkpointId) {
            return null;
        }

        @Override
        public void close() {}
    }

    /**
     * Ends once the enumerator has said there are no splits: finishing earlier would lose that
     * event (the task is already FINISHED) and make Flink fail the job over.
     */
    private static final class EndedReader<T> implements SourceReader<T, NoSplit> {
        private final CompletableFuture<Void> noMoreSplits = new CompletableFuture<>();

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) {
            return noMoreSplits.isDone() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public List<NoSplit> snapshotState(long checkpointId) {
            return List.of();
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return noMoreSplits;
        }

        @Override
        public void addSplits(List<NoSplit> splits) {}

        @Override
        public void notifyNoMoreSplits() {
            noMoreSplits.complete(null);
        }

        @Override
        public void close() {}
    }

    private static final class NothingSerializer<X> implements SimpleVersionedSerializer<X> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(X obj) {
            return new byte[0];
        }

        @Override
        public X deserialize(int version, byte[] serialized) {
            return null;
        }
    }
}
