package dev.wasmorch.pipeline.source;

import dev.wasmorch.pipeline.model.RawLine;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader's view of one followed file. It holds the file open by identity, so a file renamed by
 * log rotation is read to its end under whatever name it has now. Only complete lines (ended by
 * {@code \n}) are emitted; the bytes of an unfinished last line wait for their line break and are
 * re-read after a restore, since the checkpointed offset is always the start of the next line.
 */
final class TailedFile implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(TailedFile.class);
    private static final int CHUNK = 64 * 1024;

    private final String path;
    private final String fileKey;
    private final int maxLineBytes;
    private final LineFilter filter;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);

    private FileChannel channel;
    private Path openedAs;
    private long offset;
    private long line;
    private long reported;
    private final CRC32 crc = new CRC32();
    private int crcLength;

    /** The current unfinished line: its first {@code maxLineBytes} bytes and its full length. */
    private byte[] partial = new byte[256];

    private int partialKept;
    private long partialLength;

    private long modifiedMs;
    private boolean rotationSeen;
    /** The last poll found no new data: a truncation may have happened since. */
    private boolean idle;

    private boolean finished;

    private TailedFile(String path, String fileKey, int maxLineBytes, LineFilter filter) {
        this.path = path;
        this.fileKey = fileKey;
        this.maxLineBytes = maxLineBytes;
        this.filter = filter;
    }

    /**
     * Opens the file a split describes, wherever rotation has moved it, and continues after the
     * split's offset; a file that shrank or whose first bytes changed was truncated or replaced
     * while nobody was reading and is read again from its start.
     */
    static TailedFile open(TailSplit split, int maxLineBytes, LineFilter filter) throws IOException {
        TailedFile f = new TailedFile(split.path(), split.fileKey(), maxLineBytes, filter);
        Path where = FileIdentity.locate(Path.of(split.path()), split.fileKey());
        if (where == null) {
            LOG.warn(
                    "{} ({}) is gone: whatever it held after byte {} cannot be read",
                    split.path(),
                    split.fileKey(),
                    split.offset());
            f.finished = true;
            f.line = split.line();
            f.reported = split.reportedLines();
            return f;
        }
        f.channel = FileChannel.open(where, StandardOpenOption.READ);
        f.openedAs = where;
        f.offset = split.offset();
        f.line = split.line();
        f.reported = split.reportedLines();
        if (!f.verify(split)) {
            LOG.info("{} was truncated or replaced while not followed: reading it from its start", where);
            f.restart();
        }
        return f;
    }

    private boolean verify(TailSplit split) throws IOException {
        if (channel.size() < split.offset()) {
            return false;
        }
        byte[] head = FileHead.read(channel, split.fingerprintLength());
        if (head.length < split.fingerprintLength()) {
            return false;
        }
        crc.reset();
        crc.update(head);
        crcLength = head.length;
        return crc.getValue() == split.fingerprint();
    }

    private void restart() {
        offset = 0;
        line = 0;
        reported = 0;
        partialKept = 0;
        partialLength = 0;
        crc.reset();
        crcLength = 0;
        rotationSeen = false;
    }

    /**
     * Reads at most one chunk and hands every completed line to {@code out}.
     *
     * @return true when the chunk was full, i.e. more data is probably waiting
     */
    boolean poll(Consumer<RawLine> out) throws IOException {
        if (finished) {
            return false;
        }
        if (idle && !headUnchanged()) {
            // Truncated and written again past the old end between two polls (copy-truncate).
            truncated(out);
        }
        long readPos = offset + partialLength;
        chunk.clear();
        int n = channel.read(chunk, readPos);
        idle = n <= 0;
        if (n > 0) {
            modifiedMs = lastModified();
            rotationSeen = false;
            fingerprint(readPos, n);
            split(n, out);
            return n == CHUNK;
        }
        atEnd(readPos, out);
        return false;
    }

    private void fingerprint(long readPos, int n) {
        if (readPos + n > crcLength && crcLength < FileHead.MAX) {
            int from = (int) Math.max(0, crcLength - readPos);
            int to = (int) Math.min(n, FileHead.MAX - readPos);
            crc.update(chunk.array(), from, to - from);
            crcLength = (int) (readPos + to);
        }
    }

    private void split(int n, Consumer<RawLine> out) {
        byte[] b = chunk.array();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
                append(b, start, i);
                emit(out, 1);
                start = i + 1;
            }
        }
        append(b, start, n);
    }

    private void append(byte[] b, int from, int to) {
        int len = to - from;
        partialLength += len;
        int keep = Math.min(len, maxLineBytes - partialKept);
        if (keep > 0) {
            if (partialKept + keep > partial.length) {
                partial = Arrays.copyOf(partial, Math.max(partialKept + keep, partial.length * 2));
            }
            System.arraycopy(b, from, partial, partialKept, keep);
            partialKept += keep;
        }
    }

    /** Emits the current line, which ends with a line break of {@code breakBytes} bytes (0 or 1). */
    private void emit(Consumer<RawLine> out, int breakBytes) {
        int len = partialKept;
        if (len > 0 && partial[len - 1] == '\r' && partialLength == partialKept) {
            len--;
        }
        line++;
        if (filter.accept(partial, 0, len)) {
            out.accept(RawLine.of(path, line, new String(partial, 0, len, StandardCharsets.UTF_8), modifiedMs));
        }
        offset += partialLength + breakBytes;
        partialKept = 0;
        partialLength = 0;
    }

    private void atEnd(long readPos, Consumer<RawLine> out) throws IOException {
        if (channel.size() < readPos || !headUnchanged()) {
            truncated(out);
            return;
        }
        String current = FileIdentity.keyOf(Path.of(path));
        if (fileKey.equals(current)) {
            return;
        }
        // Renamed or deleted: the writer may still flush into the old file right after the rename,
        // so the file is given one more poll interval before it is closed.
        if (!rotationSeen) {
            rotationSeen = true;
            return;
        }
        if (partialLength > 0) {
            // Nobody will finish this line any more: what the rotated file holds is the whole line.
            emit(out, 0);
        }
        LOG.info("finished rotated file {} after {} lines", openedAs, line);
        report(out);
        finished = true;
    }

    private void truncated(Consumer<RawLine> out) throws IOException {
        LOG.info("{} was truncated (copy-truncate rotation): reading it again from its start", openedAs);
        drainCopy(out);
        report(out);
        restart();
    }

    /**
     * Copy-truncate copies the file, then truncates it: the lines written after this reader's last
     * poll are only in the copy. The copy is the sibling that starts with the bytes this file
     * started with; it is read from where this file was left, as this file's lines (same path,
     * same line numbers), and the enumerator does not hand it out again (it knows it by the same head).
     */
    private void drainCopy(Consumer<RawLine> out) throws IOException {
        FileHead head = new FileHead(crc.getValue(), crcLength);
        Path dir = openedAs.toAbsolutePath().getParent();
        if (head.length() < FileHead.MIN_MATCH || dir == null) {
            return;
        }
        for (Path sibling : FileIdentity.list(dir)) {
            if (fileKey.equals(FileIdentity.keyOf(sibling))) {
                continue;
            }
            try (FileChannel copy = FileChannel.open(sibling, StandardOpenOption.READ)) {
                if (!head.startsOf(copy)) {
                    continue;
                }
                long before = line;
                partialKept = 0;
                partialLength = 0;
                for (int n; (n = readChunk(copy, offset)) > 0; ) {
                    split(n, out);
                }
                if (partialLength > 0) {
                    emit(out, 0); // the copy is complete: its unterminated last line is whole
                }
                LOG.info("read {} lines of {} that only its copy {} holds", line - before, path, sibling);
                return;
            } catch (NoSuchFileException gone) {
                // rotated away meanwhile: try the next sibling
            }
        }
    }

    private int readChunk(FileChannel from, long lineStart) throws IOException {
        chunk.clear();
        return from.read(chunk, lineStart + partialLength);
    }

    private boolean headUnchanged() throws IOException {
        if (crcLength == 0) {
            return true;
        }
        CRC32 now = new CRC32();
        now.update(FileHead.read(channel, crcLength));
        return now.getValue() == crc.getValue();
    }

    /** Reports the lines consumed since the last report (the parser counts them as lines read). */
    void report(Consumer<RawLine> progress) {
        long delta = line - reported;
        if (delta > 0) {
            progress.accept(RawLine.endOf(path, delta, modifiedMs));
            reported = line;
        }
    }

    private long lastModified() throws IOException {
        try {
            return Files.getLastModifiedTime(openedAs).toMillis();
        } catch (NoSuchFileException e) {
            return modifiedMs;
        }
    }

    boolean finished() {
        return finished;
    }

    String splitId() {
        return fileKey;
    }

    TailSplit snapshot() {
        return new TailSplit(path, fileKey, offset, line, reported, crc.getValue(), crcLength);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
