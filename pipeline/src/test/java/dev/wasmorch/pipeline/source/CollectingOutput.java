package dev.wasmorch.pipeline.source;

import dev.wasmorch.pipeline.model.RawLine;
import java.util.ArrayList;
import java.util.List;

/** Collects what the tailing reader emits, separating lines from progress records. */
final class CollectingOutput extends ListOutput<RawLine> {

    final List<RawLine> lines = new ArrayList<>();
    final List<RawLine> progress = new ArrayList<>();

    @Override
    public void collect(RawLine record) {
        super.collect(record);
        (record.endOfFile() ? progress : lines).add(record);
    }

    List<String> texts() {
        return lines.stream().map(RawLine::text).toList();
    }

    long linesCounted() {
        return progress.stream().mapToLong(RawLine::linesRead).sum();
    }
}
