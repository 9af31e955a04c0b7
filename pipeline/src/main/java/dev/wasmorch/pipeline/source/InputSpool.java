package dev.wasmorch.pipeline.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a stream that cannot be read by position — standard input ({@code journalctl -u k3s -o json -f
 * | wasmorch stream --logs -}) or a named pipe — into a file of a spool directory, which the tailing
 * source then follows like any log directory. Checkpointed offsets refer to the spool files, so a job
 * restored with the same spool directory continues where it stopped; what the pipe carried while no
 * job ran is gone, as a pipe keeps nothing.
 *
 * <p>The current file, {@code NAME.log}, is rotated by rename ({@code NAME.log.<n>}) once it holds
 * {@code maxFileBytes}, always after a complete line, so no line is split across files; only the
 * newest {@code keepFiles} rotated files are kept. A job that falls further behind than that loses
 * the deleted files' unread lines: the bound keeps a spool fed for days from filling the disk.
 */
public final class InputSpool implements Runnable {

    /** Opens the input; may block (a named pipe's open waits for a writer), so it runs on the spool's thread. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(InputSpool.class);

    /** Pause before reopening an input that gave nothing, so a writerless input costs no CPU. */
    static final long REOPEN_PAUSE_MS = 500;

    private final Opener input;
    private final boolean reopen;
    private final Path dir;
    private final String name;
    private final long maxFileBytes;
    private final int keepFiles;

    /**
     * @param reopen whether to open the input again at its end (a named pipe whose writer restarts)
     *               instead of stopping (standard input)
     */
    public InputSpool(Opener input, boolean reopen, Path dir, String name, long maxFileBytes, int keepFiles) {
        if (maxFileBytes < 1 || keepFiles < 1) {
            throw new IllegalArgumentException("a spool needs maxFileBytes and keepFiles of at least 1");
        }
        this.input = input;
        this.reopen = reopen;
        this.dir = dir;
        this.name = name;
        this.maxFileBytes = maxFileBytes;
        this.keepFiles = keepFiles;
    }

    /** The file being written, which the tailing source follows. */
    public Path current() {
        return dir.resolve(name + ".log");
    }

    /** Starts copying on a daemon thread (it ends at the end of the input). */
    public Thread start() throws IOException {
        Files.createDirectories(dir);
        Thread t = new Thread(this, "spool-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Copies until the input ends (for good); every read is written (and visible) at once. */
    @Override
    public void run() {
        try {
            do {
                long copied;
                try (InputStream in = input.open()) {
                    copied = copy(in);
                }
                if (reopen && copied == 0) {
                    // An input that ends at once (no writer yet, /dev/null): don't reopen in a busy loop.
                    Thread.sleep(REOPEN_PAUSE_MS);
                }
            } while (reopen);
        } catch (IOException e) {
            // Nobody joins this thread: say loudly that the input is no longer followed.
            LOG.error("spooling {} into {} failed; the rest of this input is not read: {}", name, dir, e.toString());
            throw new UncheckedIOException("spooling " + name + " into " + dir + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies until the input's end; returns the bytes copied. */
    private long copy(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        OutputStream out = open();
        try {
            long size = Files.size(current());
            long copied = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                int cut = size + n >= maxFileBytes ? lastNewline(buf, n) + 1 : 0;
                if (cut > 0) {
                    out.write(buf, 0, cut);
                    out.close();
                    rotate();
                    out = open();
                    size = 0;
                }
                out.write(buf, cut, n - cut);
                out.flush();
                size += n - cut;
                copied += n;
            }
            return copied;
        } finally {
            out.close();
        }
    }

    private OutputStream open() throws IOException {
        return Files.newOutputStream(current(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Renames the current file to the next number and deletes the oldest beyond {@code keepFiles}. */
    private void rotate() throws IOException {
        List<Path> rotated = rotatedFiles();
        long next = rotated.isEmpty() ? 1 : number(rotated.get(rotated.size() - 1)) + 1;
        Files.move(current(), dir.resolve(name + ".log." + next));
        rotated = rotatedFiles();
        for (int i = 0; i < rotated.size() - keepFiles; i++) {
            Files.deleteIfExists(rotated.get(i));
        }
    }

    /** The rotated files, oldest first. */
    List<Path> rotatedFiles() throws IOException {
        String prefix = name + ".log.";
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> p.getFileName()
                            .toString()
                            .substring(prefix.length())
                            .matches("[0-9]+"))
                    .sorted(Comparator.comparingLong(this::number))
                    .toList();
        }
    }

    private long number(Path rotated) {
        return Long.parseLong(rotated.getFileName().toString().substring(name.length() + ".log.".length()));
    }

    private static int lastNewline(byte[] buf, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
