package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.job.AnalysisInputs;
import dev.wasmorch.pipeline.job.BatchAnalysis;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.report.ReportWriter;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import java.io.PrintStream;
import java.nio.file.Path;

/** Runs a batch analysis, then writes the report and prints the console summary. */
final class AnalysisRunner {

    private AnalysisRunner() {}

    /**
     * @param cluster  where the job runs, started with {@code options.parallelism()}
     * @param out      an output directory checked by {@link OutputDirectory#prepare}
     * @param postgres results tables to write as well, or {@code null}
     */
    static void run(
            JobCluster cluster,
            AnalysisInputs inputs,
            AnalysisOptions options,
            Path out,
            boolean report,
            PostgresOutput postgres,
            PrintStream console)
            throws Exception {
        JoinOptions join = options.join(inputs.metadataGiven());
        console.printf(
                "wasmorch: analyzing %d log file(s), %s, %d CSV sample(s) -> %s%n",
                inputs.logFiles().size(),
                inputs.podsSnapshot() != null
                        ? "pod snapshot " + inputs.podsSnapshot()
                        : inputs.pods().size() + " pod(s) of metadata",
                inputs.samples().size(),
                out);
        long started = System.nanoTime();
        BatchAnalysis.build(cluster.environment(), inputs, options.parser(), join, out, postgres);
        cluster.execute(BatchAnalysis.JOB_NAME);
        if (report) {
            ReportWriter.write(out);
        }
        ConsoleSummary.print(out, console);
        console.printf(
                "wasmorch: done in %.1f s; outputs in %s%s%n",
                (System.nanoTime() - started) / 1e9, out, report ? " (open " + out.resolve("report.html") + ")" : "");
    }
}
