package dev.wasmorch.pipeline.report;

/**
 * How the report is drawn.
 *
 * @param title            the page title
 * @param sampleCapacity   values kept per group for box plots and CDFs (a uniform sample beyond)
 * @param listedPods       incomplete or flagged pods listed by name (all are counted)
 * @param rejectExamples   example lines shown per reject reason
 */
public record ReportOptions(String title, int sampleCapacity, int listedPods, int rejectExamples) {

    public ReportOptions {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title must not be empty");
        }
        if (sampleCapacity < 16 || listedPods < 0 || rejectExamples < 0) {
            throw new IllegalArgumentException("sampleCapacity must be at least 16, the limits not negative");
        }
    }

    public static ReportOptions defaults() {
        return new ReportOptions("wasmorch: WASM vs container pod instantiation", 4096, 200, 3);
    }
}
