package dev.wasmorch.pipeline.source;

import dev.wasmorch.pipeline.model.RawLine;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;

/** Collects what a source reader emits, separating lines from progress records. */
final class CollectingOutput implements ReaderOutput<RawLine> {

    final List<RawLine> lines = new ArrayList<>();
    final List<RawLine> progress = new ArrayList<>();

    @Override
    public void collect(RawLine record) {
        (record.endOfFile() ? progress : lines).add(record);
    }

    @Override
    public void collect(RawLine record, long timestamp) {
        collect(record);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<RawLine> createOutputForSplit(String splitId) {
        return this;
    }

    @Override
    public void releaseOutputForSplit(String splitId) {}

    List<String> texts() {
        return lines.stream().map(RawLine::text).toList();
    }

    long linesCounted() {
        return progress.stream().mapToLong(RawLine::linesRead).sum();
    }
}
