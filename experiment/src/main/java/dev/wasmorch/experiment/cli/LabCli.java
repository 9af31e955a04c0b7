package dev.wasmorch.experiment.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/wasmorch lab}: runs the study's experiment (experiment/README.md). */
@Command(
        name = "wasmorch lab",
        mixinStandardHelpOptions = true,
        description =
                "Runs the 2023 study's experiment and writes its published layout, the lifecycle log and a report.",
        subcommands = {RunCommand.class, StreamCommand.class, CommandLine.HelpCommand.class})
public final class LabCli implements Runnable {

    /** Exit codes: 0 complete, 1 failed, 2 unusable input, 130 stopped by a signal. */
    static final int EXIT_FAILED = 1;

    static final int EXIT_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LabCli()).execute(args));
    }
}
