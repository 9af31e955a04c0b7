package dev.wasmorch.contract.crinode;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a node's tools (ctr, cc, ip) with a time limit, output and exit code together. */
public final class Command {

    private Command() {}

    /** A finished command: its exit code and its stdout and stderr, interleaved as written. */
    public record Result(List<String> command, int exit, String output) {
        /** This result, or an {@link IllegalStateException} naming the command, exit and output. */
        public Result ok() {
            if (exit != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed with exit " + exit + ":\n" + output);
            }
            return this;
        }
    }

    /** Runs {@code command} with stdin from /dev/null; killed and reported when over {@code timeout}. */
    public static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(command, Map.of(), timeout);
    }

    public static Result run(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        // the output goes to a file, not a pipe: a command that hangs cannot block the read
        Path out = Files.createTempFile("wasmorch-cmd", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException(String.join(" ", command) + " did not end within " + timeout.toSeconds()
                        + " s; its output:\n" + new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
            }
            return new Result(
                    List.copyOf(command), p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Whether {@code exe} is an executable file in a directory of PATH. */
    public static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }
}
