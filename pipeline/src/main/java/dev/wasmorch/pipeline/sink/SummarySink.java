package dev.wasmorch.pipeline.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmorch.pipeline.model.Count;
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
 * Sums job counters by name and writes summary.json (rewritten atomically at every checkpoint and
 * at the end). {@code rejected:REASON} counters are grouped under {@code rejected}; run it with
 * parallelism 1.
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

    /** The JSON document for a set of totals; also used by the CLI for runs without a Flink job. */
    public static ObjectNode toJson(Map<String, Long> totals) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode rejected = mapper.createObjectNode();
        long rejectedTotal = 0;
        long pods = 0;
        for (Map.Entry<String, Long> e : new TreeMap<>(totals).entrySet()) {
            if (e.getKey().startsWith("rejected:")) {
                rejected.put(e.getKey().substring("rejected:".length()), e.getValue());
                rejectedTotal += e.getValue();
            } else {
                root.put(e.getKey(), e.getValue());
            }
            if (e.getKey().equals("pods_complete") || e.getKey().equals("pods_incomplete")) {
                pods += e.getValue();
            }
        }
        root.put("pods_total", pods);
        root.put("rejected_total", rejectedTotal);
        root.set("rejected", rejected);
        return root;
    }

    public static void write(Path file, Map<String, Long> totals) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), toJson(totals));
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
