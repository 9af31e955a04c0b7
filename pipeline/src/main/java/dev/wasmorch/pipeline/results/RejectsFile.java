package dev.wasmorch.pipeline.results;

import dev.wasmorch.pipeline.model.Reject;
import java.util.List;

/** rejects.csv: every line of interest that could not be used, with the reason. */
public final class RejectsFile {

    public static final String NAME = "rejects.csv";

    public static final List<String> COLUMNS = List.of("file", "line", "reason", "detail", "excerpt");

    /** A row read back as text, as the file has it (the line number too: it is only shown). */
    public record Entry(String file, String line, String reason, String detail, String excerpt) {}

    private RejectsFile() {}

    public static List<String> row(Reject r) {
        return List.of(r.file(), Long.toString(r.line()), r.reason(), r.detail(), r.excerpt());
    }

    public static Entry read(CsvInput.Row r) {
        return new Entry(r.text("file"), r.text("line"), r.text("reason"), r.text("detail"), r.text("excerpt"));
    }
}
