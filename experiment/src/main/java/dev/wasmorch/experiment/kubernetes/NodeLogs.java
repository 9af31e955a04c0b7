package dev.wasmorch.experiment.kubernetes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gathers the nodes' logs into the lifecycle folder, one {@code NAME.log} per source. Each source is
 * bounded in time and size; what it gives is untrusted, so it is copied as bytes and never
 * interpreted here (the analyzer parses it, rejecting what it cannot read), and of a failing
 * command's standard error only a short tail, with control characters replaced, reaches a message.
 * One failing source does not stop the others.
 */
final class NodeLogs {

    private static final int STDERR_KEPT = 64 * 1024;
    private static final int STDERR_SHOWN = 400;

    private final Duration timeout;
    private final long maxBytes;

    NodeLogs(Duration timeout, long maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /**
     * Collects every source into {@code dir}.
     *
     * @return one message per source that failed or was cut short (empty: all complete)
     */
    List<String> collect(List<LogSource> sources, Path dir, long sinceEpochSeconds) throws IOException {
        Files.createDirectories(dir);
        List<String> problems = new ArrayList<>();
        for (LogSource source : sources) {
            Path out = dir.resolve(source.name() + ".log");
            try {
                String problem =
                        source.file() != null ? copyFile(source.file(), out) : run(source.argv(sinceEpochSeconds), out);
                if (problem != null) {
                    problems.add("node log " + source.name() + ": " + problem);
                }
            } catch (IOException e) {
                problems.add("node log " + source.name() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("node log " + source.name() + ": interrupted");
                return problems;
            }
        }
        return problems;
    }

    private String copyFile(Path file, Path out) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return file + " is not a readable regular file";
        }
        try (InputStream in = Files.newInputStream(file);
                OutputStream o = Files.newOutputStream(out)) {
            return copyCapped(in, o) ? "cut at " + maxBytes + " bytes (--node-log-max-bytes)" : null;
        }
    }

    private String run(List<String> argv, Path out) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> drain(p.getErrorStream(), err), "node-log-stderr");
        errReader.setDaemon(true);
        errReader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean cut = false;
        // The child writes the file itself; its size is watched so a runaway source is stopped.
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            if (Files.size(out) > maxBytes) {
                cut = true;
                break;
            }
            if (System.nanoTime() > deadline) {
                destroy(p);
                errReader.join(1000);
                return argv.get(0) + " took more than " + timeout.toMillis() + " ms (--node-log-timeout); stopped, "
                        + Files.size(out) + " bytes kept";
            }
        }
        if (cut || Files.size(out) > maxBytes) {
            destroy(p);
            truncate(out);
            return "cut at " + maxBytes + " bytes (--node-log-max-bytes)";
        }
        errReader.join(1000);
        if (p.exitValue() != 0) {
            return argv.get(0) + " exited with " + p.exitValue() + tail(err);
        }
        return null;
    }

    private void truncate(Path out) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(out, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(maxBytes);
        }
    }

    private static void destroy(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    private boolean copyCapped(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = maxBytes;
        for (int n; (n = in.read(buf)) > 0; ) {
            if (n > left) {
                out.write(buf, 0, (int) left);
                return true;
            }
            out.write(buf, 0, n);
            left -= n;
        }
        return false;
    }

    private static void drain(InputStream in, ByteArrayOutputStream kept) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (kept) {
                    if (kept.size() < STDERR_KEPT) {
                        kept.write(buf, 0, Math.min(n, STDERR_KEPT - kept.size()));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process went away: what was read is kept
        }
    }

    /** The end of a command's standard error, printable only: it is the command's text, not ours. */
    private static String tail(ByteArrayOutputStream err) {
        String text;
        synchronized (err) {
            text = err.toString(StandardCharsets.UTF_8).strip();
        }
        if (text.isEmpty()) {
            return "";
        }
        String end = text.length() > STDERR_SHOWN ? "…" + text.substring(text.length() - STDERR_SHOWN) : text;
        return ": " + Untrusted.printable(end);
    }
}
