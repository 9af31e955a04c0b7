package dev.wasmorch.pipeline.responses;

import dev.wasmorch.pipeline.model.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the response times of {@code hey -o csv} output:
 * {@code response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset}
 * (seconds). Several runs may be appended to one file, so a header line may recur anywhere. Each
 * 2xx row becomes a sample of metric {@value #METRIC} (its {@code response-time}); other status
 * codes are counted per file and code; unusable rows are rejected with file and line.
 */
public final class HeyCsvReader {

    /** The metric of the samples this reader produces. */
    public static final String METRIC = "response_time";

    static final String HEADER =
            "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset";
    private static final int COLUMNS = 8;
    private static final int STATUS_COLUMN = 6;

    private HeyCsvReader() {}

    /** Reads one labelled file. */
    public static ResponseData read(LabelledFile file) {
        String name = file.path().toString();
        List<Sample> samples = new ArrayList<>();
        Map<Integer, Long> non2xx = new TreeMap<>();
        FileRejects rejects = new FileRejects(name);
        CsvLines.forEachLine(
                file.path(),
                (number, text) -> {
                    if (text.isBlank() || text.trim().equals(HEADER)) {
                        return;
                    }
                    String[] fields = text.split(",", -1);
                    if (fields.length != COLUMNS) {
                        rejects.add(
                                number,
                                "hey_columns",
                                fields.length + " fields, expected " + COLUMNS + " (" + HEADER + ")",
                                text);
                        return;
                    }
                    Integer status = statusCode(fields[STATUS_COLUMN]);
                    if (status == null) {
                        rejects.add(
                                number,
                                "hey_status",
                                "status-code '" + fields[STATUS_COLUMN] + "' is not an HTTP status",
                                text);
                        return;
                    }
                    Double seconds = rejects.seconds(number, "response-time", fields[0], "hey_value", text);
                    if (seconds == null) {
                        return;
                    }
                    if (status >= 200 && status < 300) {
                        samples.add(new Sample(file.scenario(), file.function(), file.runtime(), METRIC, seconds));
                    } else {
                        non2xx.merge(status, 1L, Long::sum);
                    }
                },
                rejects);
        List<ResponseData.StatusCount> counts = non2xx.entrySet().stream()
                .map(e -> new ResponseData.StatusCount(name, e.getKey(), e.getValue()))
                .toList();
        return new ResponseData(samples, counts, rejects.list());
    }

    /** Reads every file in order. */
    public static ResponseData readAll(List<LabelledFile> files) {
        return ResponseData.concat(files.stream().map(HeyCsvReader::read).toList());
    }

    /** An integer 0..999 (hey writes 0 when no response came), else {@code null}. */
    private static Integer statusCode(String field) {
        try {
            int code = Integer.parseInt(field.trim());
            return code >= 0 && code <= 999 ? code : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
