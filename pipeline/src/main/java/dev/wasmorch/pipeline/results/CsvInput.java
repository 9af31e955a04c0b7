package dev.wasmorch.pipeline.results;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams one of the analyzer's CSV outputs row by row (RFC 4180 with a header line), so a
 * five-million-row samples.csv never sits in memory. A missing file reads as empty; a file that
 * breaks off mid-way keeps the rows before the break and says where it stopped.
 */
public final class CsvInput {

    /**
     * What reading a file gave.
     *
     * @param present  the file exists
     * @param rows     data rows read
     * @param skipped  rows the consumer refused (an unknown runtime label, say)
     * @param problem  why reading stopped early, or {@code null}
     */
    public record Outcome(String file, boolean present, long rows, long skipped, String problem) {}

    /** One data row; the accessors treat an absent column or an empty field as missing. */
    public static final class Row {
        private final Map<String, Integer> columns;
        private final String[] fields;

        Row(Map<String, Integer> columns, String[] fields) {
            this.columns = columns;
            this.fields = fields;
        }

        private String get(String column) {
            Integer i = columns.get(column);
            return i == null || i >= fields.length ? null : fields[i];
        }

        public String text(String column) {
            String v = get(column);
            return v == null ? "" : v;
        }

        /** The number in a column, NaN when it is empty or not a number (including "NaN"). */
        public double number(String column) {
            String v = get(column);
            if (v == null || v.isBlank()) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        public long count(String column) {
            double d = number(column);
            return Double.isFinite(d) ? (long) d : 0;
        }
    }

    private static final CsvMapper MAPPER = new CsvMapper();

    private CsvInput() {}

    public static Outcome forEach(Path file, Consumer<Row> action) throws IOException {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            return new Outcome(name, false, 0, 0, null);
        }
        long rows = 0;
        long skipped = 0;
        // Rows as plain string arrays: several times faster than a map per row on big files.
        try (InputStream in = Files.newInputStream(file);
                MappingIterator<String[]> it = MAPPER.readerFor(String[].class)
                        .with(CsvParser.Feature.WRAP_AS_ARRAY)
                        .with(CsvParser.Feature.SKIP_EMPTY_LINES)
                        .readValues(in)) {
            if (!it.hasNextValue()) {
                return new Outcome(name, true, 0, 0, null);
            }
            Map<String, Integer> columns = new HashMap<>();
            String[] header = it.nextValue();
            for (int i = 0; i < header.length; i++) {
                columns.putIfAbsent(header[i].trim(), i);
            }
            while (it.hasNextValue()) {
                String[] fields = it.nextValue();
                rows++;
                try {
                    action.accept(new Row(columns, fields));
                } catch (IllegalArgumentException e) {
                    skipped++;
                }
            }
        } catch (RuntimeException | IOException e) {
            // Jackson reports CSV syntax errors (a stray quote, too many fields) with a location.
            String why = e.getMessage() == null
                    ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            return new Outcome(name, true, rows, skipped, "stopped after " + rows + " rows: " + why);
        }
        return new Outcome(name, true, rows, skipped, null);
    }
}
