package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.job.AnalysisInputs;
import dev.wasmorch.pipeline.job.BatchAnalysis;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.report.ReportWriter;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs a batch analysis, then writes the report and prints the console summary. */
final class AnalysisRunner {

    private AnalysisRunner() {}

    static void run(AnalysisInputs inputs, AnalysisOptions options, Path out, boolean report, PrintStream console)
            throws Exception {
        run(inputs, options, out, report, null, console);
    }

    /**
     * @param out      an output directory checked by {@link OutputDirectory#prepare}
     * @param postgres results tables to write as well, or {@code null}
     */
    static void run(
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
        BatchAnalysis.run(environment(options), inputs, options.parser(), join, out, postgres);
        if (report) {
            ReportWriter.write(out);
        }
        ConsoleSummary.print(out, console);
        console.printf(
                "wasmorch: done in %.1f s; outputs in %s%s%n",
                (System.nanoTime() - started) / 1e9, out, report ? " (open " + out.resolve("report.html") + ")" : "");
    }

    /** The cluster's environment under {@code flink run}, else a local MiniCluster. */
    private static StreamExecutionEnvironment environment(AnalysisOptions options) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, options.parallelism());
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
}
