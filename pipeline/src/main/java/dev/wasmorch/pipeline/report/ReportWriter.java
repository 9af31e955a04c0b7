package dev.wasmorch.pipeline.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes {@code report.html} into an analyzer output directory from the files there (stats.csv,
 * comparisons.csv, samples.csv, pods.csv, rejects.csv, summary.json; any may be absent). The page
 * is self-contained: inline CSS, SVG charts drawn here, a few lines of inline JavaScript to sort
 * tables, nothing fetched from anywhere.
 */
public final class ReportWriter {

    /** The report's file name inside the output directory. */
    public static final String FILE = "report.html";

    private ReportWriter() {}

    /** Writes the report with the default options; returns its path. */
    public static Path write(Path outDir) throws IOException {
        return write(outDir, ReportOptions.defaults());
    }

    public static Path write(Path outDir, ReportOptions options) throws IOException {
        if (!Files.isDirectory(outDir)) {
            throw new IOException("report: output directory " + outDir + " does not exist");
        }
        String html = new ReportPage(ReportInputs.read(outDir, options), options).render();
        Path target = outDir.resolve(FILE);
        // Written beside and moved, so a reader never sees half a page.
        Path tmp = Files.createTempFile(outDir, ".report", ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
