package dev.wasmorch.experiment.kubernetes;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One source of node logs: a command run without a shell (an argument vector, e.g. {@code ssh node1
 * journalctl -u k3s -o json --since {since}}) or a file. What it gives is written to {@code NAME.log}
 * in the lifecycle folder, where the analyzer reads it as it reads any log.
 *
 * @param command the argument vector, or empty for a file
 * @param file the file, or {@code null} for a command
 */
public record LogSource(String name, List<String> command, Path file) {

    /** A file name of its own: no path, no leading dot (the analyzer skips dot files). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** In a command, stands for the run's start in epoch seconds, as journalctl's {@code --since @S}. */
    public static final String SINCE = "{since}";

    public LogSource {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "node-log source name '" + name + "' is not 1..64 of A-Za-z0-9._- starting alphanumeric");
        }
        command = List.copyOf(command);
        if (command.isEmpty() == (file == null)) {
            throw new IllegalArgumentException("node-log source " + name + ": give a command or a file, one of them");
        }
    }

    /**
     * Parses {@code NAME=cmd:ARG ARG ...} (arguments split at white space, no quoting: a command
     * needing an argument with a space belongs in a script) or {@code NAME=file:PATH}.
     */
    public static LogSource parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("node-log source '" + text + "' is not NAME=cmd:ARGS or NAME=file:PATH");
        }
        String name = text.substring(0, eq);
        String what = text.substring(eq + 1);
        if (what.startsWith("cmd:")) {
            String args = what.substring(4).strip();
            if (args.isEmpty()) {
                throw new IllegalArgumentException("node-log source " + name + ": empty command");
            }
            return new LogSource(name, List.of(args.split("\\s+")), null);
        }
        if (what.startsWith("file:") && what.length() > 5) {
            return new LogSource(name, List.of(), Path.of(what.substring(5)));
        }
        throw new IllegalArgumentException("node-log source '" + text + "': after NAME= comes cmd:ARGS or file:PATH");
    }

    /** The command with {@value #SINCE} replaced by {@code @EPOCH_SECONDS}. */
    public List<String> argv(long sinceEpochSeconds) {
        return command.stream()
                .map(a -> a.replace(SINCE, "@" + sinceEpochSeconds))
                .toList();
    }
}
