package dev.wasmorch.pipeline.model;

/**
 * One line of interest as the source read it, with where it came from. A record with
 * {@code endOfFile} set carries no text: it closes a file and reports how many lines the source
 * read from it (including the lines it skipped as of no interest), so counts survive the
 * pre-filter.
 *
 * @param file           the path as given by the user (reported in rejects)
 * @param line           1-based line number in the (decompressed) file
 * @param text           the line without its line break; {@code null} for end-of-file records
 * @param fileModifiedMs the file's modification time, from which klog's year-less dates are dated
 * @param endOfFile      true for the closing record of a file
 * @param linesRead      on end-of-file records: all lines read from the file
 * @param damage         on end-of-file records: why the file ended early (a truncated or corrupt
 *                       archive, a read error), or {@code null} when it was read to its end
 */
public record RawLine(
        String file, long line, String text, long fileModifiedMs, boolean endOfFile, long linesRead, String damage) {

    public static RawLine of(String file, long line, String text, long fileModifiedMs) {
        return new RawLine(file, line, text, fileModifiedMs, false, 0, null);
    }

    public static RawLine endOf(String file, long linesRead, long fileModifiedMs) {
        return new RawLine(file, linesRead, null, fileModifiedMs, true, linesRead, null);
    }

    /** Closes a file whose rest could not be read; the lines before the damage were emitted. */
    public static RawLine damagedEnd(String file, long linesRead, long fileModifiedMs, String damage) {
        return new RawLine(file, linesRead, null, fileModifiedMs, true, linesRead, damage);
    }
}
