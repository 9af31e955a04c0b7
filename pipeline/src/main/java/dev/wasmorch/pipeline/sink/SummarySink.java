package dev.wasmorch.pipeline.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.results.SummaryFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Sums job counters by name and writes them as {@link SummaryFile} (rewritten atomically at every
 * checkpoint and at the end); run it with parallelism 1.
 */
public class SummarySink implements Sink<Count> {

    private final String path;

    public SummarySink(Path path) {
        this.path = path.toString();
    }

    @Override
    public SinkWriter<Count> createWriter(WriterInitContext context) {
        return new Writer(Paths.get(path));
    }

    private static void write(Path file, Map<String, Long> totals) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(tmp.toFile(), SummaryFile.json(totals));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static final class Writer implements SinkWriter<Count> {
        private final Path file;
        private final Map<String, Long> totals = new TreeMap<>();

        Writer(Path file) {
            this.file = file;
        }

        @Override
        public void write(Count count, Context context) {
            totals.merge(count.name(), count.delta(), Long::sum);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            SummarySink.write(file, totals);
        }

        @Override
        public void close() {}
    }
}
