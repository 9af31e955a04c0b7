package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.source.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wasmorch} command line: {@code bin/wasmorch --help} lists the subcommands. */
@Command(
        name = "wasmorch",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Measures how fast Kubernetes (K3s) brings up WebAssembly pods compared with container pods.",
        footer = {"", "bin/wasmorch operator [--help] runs the WasmApp operator (operator/README.md)."},
        subcommands = {
            AnalyzeCommand.class,
            StreamCommand.class,
            DemoCommand.class,
            GenerateCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class WasmorchCli implements Runnable {

    /** Exit code for inputs that cannot be used (missing files, malformed snapshots, bad options). */
    public static final int EXIT_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it without exiting the JVM. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new WasmorchCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof InputException) {
                cmd.getErr().println("wasmorch: " + e.getMessage());
                return EXIT_INPUT;
            }
            throw e;
        });
        return cli;
    }
}
