package dev.wasmorch.experiment.results;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of {@code hey -o csv}, the study's response-time files' format. hey prints its header
 * first; the runner keeps one header per file and appends the rows of every run, as the study did
 * for its first invocations ("hey outputs appended").
 */
public final class HeyCsv {

    /** hey's header, the first line of every file of the study's 01, 02 and 03 folders. */
    public static final String HEADER =
            "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset";

    private static final int COLUMNS = 8;
    private static final int STATUS = 6;

    /**
     * The rows of one hey run, with their statuses.
     *
     * @param rows the data lines, header removed
     */
    public record Output(List<String> rows, List<Integer> statuses) {
        public long ok() {
            return statuses.stream().filter(s -> s >= 200 && s < 300).count();
        }
    }

    private HeyCsv() {}

    /**
     * Reads hey's standard output.
     *
     * @throws IllegalArgumentException naming the line when it is not hey's CSV (another header, a row
     *     of another width, a status that is not a number)
     */
    public static Output parse(String stdout) {
        List<String> rows = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        String[] lines = stdout.split("\n", -1);
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.equals(HEADER)) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != COLUMNS) {
                throw new IllegalArgumentException("hey output line " + number + ": " + cells.length
                        + " columns, expected " + COLUMNS + " (" + HEADER + "): " + clip(line));
            }
            try {
                statuses.add(Integer.parseInt(cells[STATUS]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "hey output line " + number + ": status-code '" + clip(cells[STATUS]) + "' is not a number");
            }
            rows.add(line);
        }
        return new Output(rows, statuses);
    }

    private static String clip(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
