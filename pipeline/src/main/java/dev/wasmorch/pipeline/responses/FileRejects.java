package dev.wasmorch.pipeline.responses;

import dev.wasmorch.pipeline.model.Reject;
import java.util.ArrayList;
import java.util.List;

/** The rejects of one file, with the field checks the readers share. */
final class FileRejects {

    private final String file;
    private final List<Reject> rejects = new ArrayList<>();

    FileRejects(String file) {
        this.file = file;
    }

    /** Records line {@code line} (0: the whole file) as unusable. */
    void add(long line, String reason, String detail, String text) {
        rejects.add(new Reject(file, line, reason, detail, CsvLines.excerpt(text)));
    }

    /**
     * The field as a finite, non-negative number of seconds; otherwise records the line under
     * {@code reason}, naming {@code column}, and returns {@code null}.
     */
    Double seconds(long line, String column, String field, String reason, String text) {
        try {
            double v = Double.parseDouble(field.trim());
            if (Double.isFinite(v) && v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below like any other unusable value
        }
        add(line, reason, column + " '" + field + "' is not a non-negative number of seconds", text);
        return null;
    }

    List<Reject> list() {
        return rejects;
    }
}
