package dev.wasmorch.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standard input and named pipes copied into spool files that the tailing source can follow. */
class InputSpoolTest {

    @TempDir
    Path dir;

    @Test
    void copiesTheInputByteForByteIncludingAPartialLastLine() throws Exception {
        String input = "{\"MESSAGE\":\"one\"}\n{\"MESSAGE\":\"two\"}\n{\"MESSAGE\":\"thr";
        InputSpool spool = new InputSpool(() -> stream(input), false, dir, "stdin", 1 << 20, 8);
        spool.run();
        assertThat(Files.readString(spool.current())).isEqualTo(input);
        assertThat(spool.rotatedFiles()).isEmpty();
    }

    @Test
    void rotatesAfterWholeLinesOnlyAndKeepsTheNewestFiles() throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            input.append("line ").append(i).append(" of the journal\n");
        }
        // many small reads, as from a pipe
        InputSpool keepAll = new InputSpool(
                () -> new ChunkedStream(input.toString(), 37), false, dir.resolve("all"), "stdin", 500, 1000);
        Files.createDirectories(dir.resolve("all"));
        keepAll.run();
        List<Path> files = new ArrayList<>(keepAll.rotatedFiles());
        files.add(keepAll.current());
        assertThat(files.size()).isGreaterThan(5);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Path f : files) {
            String text = Files.readString(f);
            if (!f.equals(keepAll.current())) {
                assertThat(text).endsWith("\n").hasSizeLessThan(500 + 37);
            }
            joined.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(joined.toString(StandardCharsets.UTF_8)).isEqualTo(input.toString());

        InputSpool bounded = new InputSpool(
                () -> new ChunkedStream(input.toString(), 37), false, dir.resolve("few"), "stdin", 500, 2);
        Files.createDirectories(dir.resolve("few"));
        bounded.run();
        assertThat(bounded.rotatedFiles()).hasSize(2);
        assertThat(Files.readString(bounded.current())).endsWith("line 199 of the journal\n");
    }

    @Test
    void aNamedPipeIsReadAsItIsWrittenAndReopenedWhenItsWriterRestarts() throws Exception {
        Path fifo = dir.resolve("journal.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        InputSpool spool =
                new InputSpool(() -> Files.newInputStream(fifo), true, dir.resolve("spool"), "journal", 1 << 20, 8);
        spool.start();
        Files.writeString(fifo, "first writer\n"); // opens, writes, closes: the spool opens it again
        awaitContent(spool.current(), "first writer\n");
        Files.writeString(fifo, "second writer\n");
        awaitContent(spool.current(), "first writer\nsecond writer\n");
    }

    private static void awaitContent(Path file, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(file) && Files.readString(file).equals(expected))) {
            assertThat(System.nanoTime()).as("%s holds %s", file, expected).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Hands out at most {@code chunk} bytes per read. */
    private static final class ChunkedStream extends ByteArrayInputStream {
        private final int chunk;

        ChunkedStream(String s, int chunk) {
            super(s.getBytes(StandardCharsets.UTF_8));
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
        }
    }
}
