package dev.wasmorch.experiment.local;

import dev.wasmorch.experiment.backend.BackendException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the helper commands the local node needs (build.sh, start.sh, ctr), each bounded in time. */
final class Processes {

    private Processes() {}

    /** Runs the command; its output is returned, or named in the exception when it fails. */
    static String run(List<String> cmd, Duration bound, String what) throws BackendException {
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            // read while it runs (a full pipe would block it); the bound below ends a hung one
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    out.append("(output lost: ").append(e.getMessage()).append(')');
                }
            });
            reader.start();
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new BackendException(what + " did not end within " + bound.toSeconds() + " s");
            }
            reader.join(5000);
            if (p.exitValue() != 0) {
                throw new BackendException(what + " failed (exit " + p.exitValue() + "): " + tail(out.toString()));
            }
            return out.toString();
        } catch (IOException e) {
            throw new BackendException(what + ": cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(what + ": interrupted", e);
        }
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() <= 2000 ? t : "…" + t.substring(t.length() - 2000);
    }
}
