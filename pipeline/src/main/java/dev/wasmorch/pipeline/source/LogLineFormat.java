package dev.wasmorch.pipeline.source;

import dev.wasmorch.pipeline.model.RawLine;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;

/**
 * Log files (plain or gzip) as {@link RawLine}s: the lines of interest and one end-of-file record
 * per file carrying how many lines were read. Not splittable: line numbers need the whole file.
 */
public final class LogLineFormat implements BulkFormat<RawLine, FileSourceSplit> {

    private static final long serialVersionUID = 1L;

    private final int maxLineChars;

    public LogLineFormat(int maxLineChars) {
        this.maxLineChars = maxLineChars;
    }

    @Override
    public Reader<RawLine> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LogLineReader(split, maxLineChars, 0);
    }

    @Override
    public Reader<RawLine> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition()
                .map(CheckpointedPosition::getRecordsAfterOffset)
                .orElse(0L);
        return new LogLineReader(split, maxLineChars, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawLine> getProducedType() {
        return TypeInformation.of(RawLine.class);
    }
}
