package dev.wasmorch.pipeline.responses;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the 2023 study's instantiation times, {@code pod_name,test_name,init_time} per pod (seconds
 * from pod creation to container start, computed by the study from its patched K3s logs), as samples
 * of metric {@code created_to_started}.
 *
 * <p>The study's test names carry the platform and a version ({@code aes-v2},
 * {@code openfaas_aes}) and one misspelling ({@code prime-nubmers-v2}). Normalization, in this
 * order: trim and lower-case; drop a leading {@code openfaas_} or {@code openfaas-}; drop a trailing
 * {@code -v} + digits; correct the known misspellings ({@link #MISSPELLINGS}). The result must be one
 * of the nine {@link #FUNCTIONS}; other names are rejected ({@code unknown_function}), not guessed.
 */
public final class InstantiationCsvReader {

    /** The study's nine functions, sorted. */
    public static final List<String> FUNCTIONS = List.of(
            "aes",
            "float-operation",
            "fuzzysearch",
            "linear-equations",
            "matmul",
            "n-body",
            "prime-numbers",
            "user-manager",
            "whatlang");

    /** Misspellings found in the study's files and what they stand for. */
    static final Map<String, String> MISSPELLINGS = Map.of("prime-nubmers", "prime-numbers");

    static final String HEADER = "pod_name,test_name,init_time";
    private static final Pattern PLATFORM_PREFIX = Pattern.compile("^openfaas[_-]");
    private static final Pattern VERSION_SUFFIX = Pattern.compile("-v\\d+$");

    private InstantiationCsvReader() {}

    /**
     * Reads one file.
     *
     * @param runtime the runtime of every row (the study kept one file per platform)
     */
    public static ResponseData read(Path file, String scenario, Runtime runtime) {
        String name = file.toString();
        String metric = Metric.CREATED_TO_STARTED.label();
        List<Sample> samples = new ArrayList<>();
        FileRejects rejects = new FileRejects(name);
        CsvLines.forEachLine(
                file,
                (number, text) -> {
                    if (text.isBlank() || text.trim().equals(HEADER)) {
                        return;
                    }
                    String[] fields = text.split(",", -1);
                    if (fields.length != 3) {
                        rejects.add(
                                number,
                                "instantiation_columns",
                                fields.length + " fields, expected 3 (" + HEADER + ")",
                                text);
                        return;
                    }
                    String function = normalize(fields[1]);
                    if (!FUNCTIONS.contains(function)) {
                        rejects.add(
                                number,
                                "unknown_function",
                                "test_name '" + fields[1] + "' (normalized '" + function + "') is none of " + FUNCTIONS,
                                text);
                        return;
                    }
                    Double seconds = rejects.seconds(number, "init_time", fields[2], "instantiation_value", text);
                    if (seconds != null) {
                        samples.add(new Sample(scenario, function, runtime, metric, seconds));
                    }
                },
                rejects);
        return new ResponseData(samples, List.of(), rejects.list());
    }

    /** The function name a study test name stands for (see the class comment). */
    static String normalize(String testName) {
        String name = testName.trim().toLowerCase(Locale.ROOT);
        name = PLATFORM_PREFIX.matcher(name).replaceFirst("");
        name = VERSION_SUFFIX.matcher(name).replaceFirst("");
        return MISSPELLINGS.getOrDefault(name, name);
    }
}
