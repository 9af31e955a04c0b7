package dev.wasmorch.pipeline.source;

import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.parse.ParserOptions;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.Path;

/** The Flink source of log lines for the batch job (and anyone reading finished log files). */
public final class LogFileSource {

    private LogFileSource() {}

    /** A bounded source of {@code files} (see {@link LogInputs}) with the default line limit. */
    public static FileSource<RawLine> bounded(List<java.nio.file.Path> files) {
        return bounded(files, ParserOptions.defaults());
    }

    /** A bounded source of {@code files} keeping lines up to {@code options.maxLineChars()}. */
    public static FileSource<RawLine> bounded(List<java.nio.file.Path> files, ParserOptions options) {
        Path[] paths = files.stream()
                .map(f -> Path.fromLocalFile(f.toAbsolutePath().toFile()))
                .toArray(Path[]::new);
        return FileSource.forBulkFileFormat(new LogLineFormat(options.maxLineChars()), paths)
                // Flink's default filter drops files starting with '.' or '_'; the user named these.
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(path -> true))
                .build();
    }
}
