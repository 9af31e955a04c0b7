package dev.wasmorch.pipeline.responses;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Line-by-line reading shared by the CSV readers of this package. */
final class CsvLines {

    /** Receives each line with its 1-based number, without line break, BOM or trailing CR. */
    interface LineHandler {
        void line(long number, String text);
    }

    private static final int EXCERPT_MAX = 200;

    private CsvLines() {}

    /**
     * Feeds every line of {@code file} to {@code handler}. Bytes that are not UTF-8 become U+FFFD
     * (the row is then rejected by the reader, not the file).
     *
     * <p>When the file cannot be read, {@code rejects} gets one reject at line 0 (reason
     * {@code responses_file}); lines handled before the failure stay handled.
     */
    static void forEachLine(Path file, LineHandler handler, FileRejects rejects) {
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            long number = 0;
            String text;
            while ((text = in.readLine()) != null) {
                number++;
                if (number == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                handler.line(number, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
            }
        } catch (IOException e) {
            rejects.add(0, "responses_file", "cannot read " + file + ": " + e, "");
        }
    }

    /** The start of a line for rejects.csv: control characters escaped, at most 200 characters. */
    static String excerpt(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < EXCERPT_MAX; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.length() > EXCERPT_MAX ? b.substring(0, EXCERPT_MAX) : b.toString();
    }
}
