package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.report.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wasmorch report}: re-renders report.html from an analysis' output files. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Writes OUT/report.html from the CSV and JSON files of an earlier analysis in OUT.")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "An analysis output directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(out)) {
            System.err.println("wasmorch: " + out + " is not a directory");
            return WasmorchCli.EXIT_INPUT;
        }
        ReportWriter.write(out);
        System.out.println("wasmorch: wrote " + out.resolve("report.html"));
        return 0;
    }
}
