package dev.wasmorch.pipeline.results;

import static dev.wasmorch.pipeline.results.Cells.seconds;

import dev.wasmorch.pipeline.model.Sample;
import java.util.List;

/** samples.csv: every value that entered the statistics, one row each. */
public final class SamplesFile {

    public static final String NAME = "samples.csv";

    public static final List<String> COLUMNS = List.of("scenario", "function", "runtime", "metric", "value");

    /**
     * A row read back as the file has it: the runtime as text (a row is drawn under any label) and
     * the value NaN when it is empty or not a number.
     */
    public record Entry(String scenario, String function, String runtime, String metric, double value) {}

    private SamplesFile() {}

    public static List<String> row(Sample s) {
        return List.of(s.scenario(), s.function(), s.runtime().label(), s.metric(), seconds(s.value()));
    }

    public static Entry read(CsvInput.Row r) {
        return new Entry(
                r.text("scenario"), r.text("function"), r.text("runtime"), r.text("metric"), r.number("value"));
    }
}
