package dev.wasmorch.pipeline.source;

import dev.wasmorch.pipeline.model.RawLine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one log file (one split: files are not split, gzip cannot be) and emits its lines of
 * interest and a closing end-of-file record. The checkpointed position is the number of records
 * emitted from the start of the file; a restored reader re-scans the file and skips that many, so
 * it neither loses nor repeats a line (scanning is cheap, and line numbers need the scan anyway).
 */
final class LogLineReader implements BulkFormat.Reader<RawLine> {

    private static final Logger LOG = LoggerFactory.getLogger(LogLineReader.class);
    private static final int MAX_RECORDS_PER_BATCH = 1024;
    private static final long MAX_BYTES_PER_BATCH = 16L << 20;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final String file;
    private final long modifiedMs;
    private final LineScanner scanner;
    private final long recordsToSkip;
    private long recordsProduced;
    private boolean endEmitted;
    /** Why reading stopped before the end of the file, or null. */
    private String damage;

    private long batchFirstIndex;
    private final List<RawLine> pending = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private long lastProgressNanos = startNanos;

    LogLineReader(FileSourceSplit split, int maxLineChars, long recordsToSkip) throws IOException {
        Path path = split.path();
        this.file = displayName(path);
        this.modifiedMs = split.fileModificationTime();
        this.recordsToSkip = recordsToSkip;
        InputStream in;
        try {
            in = open(path);
        } catch (IOException e) {
            // A .gz whose header is broken (or empty) is one damaged input, not the end of the run.
            damage = "cannot be opened: " + describe(e);
            in = InputStream.nullInputStream();
        }
        this.scanner = new LineScanner(in, maxLineChars);
        if (recordsToSkip > 0) {
            LOG.info("Resuming {} after {} records", file, recordsToSkip);
        }
    }

    @Override
    public BulkFormat.RecordIterator<RawLine> readBatch() throws IOException {
        if (endEmitted && pending.isEmpty()) {
            return null;
        }
        long bytesAtStart = scanner.bytes();
        pending.clear();
        while (!finished()
                && pending.size() < MAX_RECORDS_PER_BATCH
                && scanner.bytes() - bytesAtStart < MAX_BYTES_PER_BATCH) {
            try {
                scanner.step(this::offer);
            } catch (IOException e) {
                // A truncated or corrupt archive: keep every complete line before the damage, drop the
                // cut line after it (it could parse as a wrong value), and report the rest as a reject.
                damage = "unreadable after line " + scanner.lines() + " (" + mb(scanner.bytes()) + " MB decompressed): "
                        + describe(e);
                LOG.warn("{} is damaged: {}; its readable lines are kept", file, damage);
            }
            progress();
        }
        if (finished() && !endEmitted) {
            offer(0, null);
            endEmitted = true;
            LOG.info(
                    "Read {}: {} lines, {} MB in {} s",
                    file,
                    scanner.lines(),
                    mb(scanner.bytes()),
                    String.format("%.2f", (System.nanoTime() - startNanos) / 1e9));
        }
        if (pending.isEmpty() && endEmitted) {
            return null;
        }
        // The iterator counts on from the records before the batch: after the k-th record of the
        // file the position is "skip k", which is what a restored reader must skip.
        RawLine[] records = pending.toArray(new RawLine[0]);
        pending.clear();
        ArrayResultIterator<RawLine> it = new ArrayResultIterator<>();
        it.set(records, records.length, CheckpointedPosition.NO_OFFSET, batchFirstIndex);
        return it;
    }

    private boolean finished() {
        return scanner.done() || damage != null;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Adds a record unless a restored reader must skip it; {@code text == null} closes the file. */
    private void offer(long lineNo, String text) {
        long index = recordsProduced++;
        if (index < recordsToSkip) {
            return;
        }
        if (pending.isEmpty()) {
            batchFirstIndex = index;
        }
        pending.add(
                text != null
                        ? RawLine.of(file, lineNo, text, modifiedMs)
                        : damage != null
                                ? RawLine.damagedEnd(file, scanner.lines(), modifiedMs, damage)
                                : RawLine.endOf(file, scanner.lines(), modifiedMs));
    }

    private void progress() {
        long now = System.nanoTime();
        if (now - lastProgressNanos >= PROGRESS_EVERY_NANOS) {
            lastProgressNanos = now;
            LOG.info("Reading {}: {} MB, {} lines", file, mb(scanner.bytes()), scanner.lines());
        }
    }

    private static String mb(long bytes) {
        return String.format("%.1f", bytes / 1048576.0);
    }

    private static InputStream open(Path path) throws IOException {
        FileSystem fs = path.getFileSystem();
        PushbackInputStream in = new PushbackInputStream(fs.open(path), 2);
        byte[] magic = new byte[2];
        int n = in.readNBytes(magic, 0, 2);
        if (n > 0) {
            in.unread(magic, 0, n);
        }
        boolean gzip = path.getName().endsWith(".gz") || (n == 2 && magic[0] == (byte) 0x1f && magic[1] == (byte) 0x8b);
        return gzip ? new GZIPInputStream(new BufferedInputStream(in, 1 << 16), 1 << 16) : in;
    }

    /** The local path for local files (what the user recognises in a reject), else the URI. */
    static String displayName(Path path) {
        String scheme = path.toUri().getScheme();
        return scheme == null || scheme.equals("file") ? path.toUri().getPath() : path.toString();
    }

    @Override
    public void close() throws IOException {
        scanner.close();
    }
}
