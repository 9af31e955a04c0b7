package dev.wasmorch.pipeline.sink;

import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import java.io.IOException;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes one RFC 4180 CSV file (header first) from a stream; run it with parallelism 1. Rows are
 * written as they come and flushed at every checkpoint, except when {@code sorted}: then they are
 * kept and written in order at the end (only for small outputs such as stats.csv).
 */
public class CsvFileSink<T> implements Sink<T> {

    private final String path;
    private final List<String> header;
    private final SerializableFunction<T, List<String>> row;
    private final boolean sorted;

    public CsvFileSink(Path path, List<String> header, SerializableFunction<T, List<String>> row, boolean sorted) {
        this.path = path.toString();
        this.header = List.copyOf(header);
        this.row = row;
        this.sorted = sorted;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        if (context.getTaskInfo().getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException("CsvFileSink for " + path + " must run with parallelism 1");
        }
        return new CsvWriter<>(Paths.get(path), header, row, sorted);
    }

    private static final class CsvWriter<T> implements SinkWriter<T>, Serializable {
        private final transient Writer out;
        private final transient CsvGenerator csv;
        private final SerializableFunction<T, List<String>> row;
        private final List<List<String>> buffered;

        CsvWriter(Path file, List<String> header, SerializableFunction<T, List<String>> row, boolean sorted)
                throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            this.csv = new CsvFactory().createGenerator(out);
            this.row = row;
            this.buffered = sorted ? new ArrayList<>() : null;
            writeRow(header);
        }

        @Override
        public void write(T element, Context context) throws IOException {
            List<String> r = row.apply(element);
            if (buffered != null) {
                buffered.add(r);
            } else {
                writeRow(r);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (endOfInput && buffered != null) {
                buffered.sort(ROW_ORDER);
                for (List<String> r : buffered) {
                    writeRow(r);
                }
                buffered.clear();
            }
            csv.flush();
        }

        @Override
        public void close() throws IOException {
            csv.close();
            out.close();
        }

        private void writeRow(List<String> r) throws IOException {
            csv.writeStartArray();
            for (String v : r) {
                csv.writeString(CsvCells.neutral(v));
            }
            csv.writeEndArray();
        }
    }

    /** Lexicographic by columns: groups stats by scenario, function, runtime, metric. */
    private static final Comparator<List<String>> ROW_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };
}
