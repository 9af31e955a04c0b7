package dev.wasmorch.pipeline.source;

import dev.wasmorch.pipeline.model.RawLine;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * An unbounded source that follows growing log files like {@code tail -F}: it discovers new files
 * in the given directories, follows appended lines, survives rotation by rename (the old file is
 * read to its end, then the new one) and by copy-truncate (a file that shrinks is read again from
 * its start), never emits a line before its line break, and checkpoints per-file offsets so a
 * restored job neither loses nor repeats a line.
 *
 * <p>Besides the lines (those the {@link LineFilter} passes) it emits progress records
 * ({@link RawLine#endOf}) carrying how many lines were consumed from a file since the previous
 * progress record, so line counters flow while the files stay open.
 */
public final class TailingLogSource
        implements Source<RawLine, TailSplit, TailEnumeratorState>, ResultTypeQueryable<RawLine> {

    private final TailOptions options;
    private final LineFilter filter;

    public TailingLogSource(TailOptions options, LineFilter filter) {
        this.options = options;
        this.filter = filter;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RawLine, TailSplit> createReader(SourceReaderContext readerContext) {
        return new TailReader(options, filter);
    }

    @Override
    public SplitEnumerator<TailSplit, TailEnumeratorState> createEnumerator(SplitEnumeratorContext<TailSplit> context) {
        return new TailEnumerator(context, options, new TailEnumeratorState(Map.of(), List.of()));
    }

    @Override
    public SplitEnumerator<TailSplit, TailEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<TailSplit> context, TailEnumeratorState checkpoint) {
        return new TailEnumerator(context, options, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<TailSplit> getSplitSerializer() {
        return TailSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<TailEnumeratorState> getEnumeratorCheckpointSerializer() {
        return TailEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<RawLine> getProducedType() {
        return TypeInformation.of(RawLine.class);
    }
}
