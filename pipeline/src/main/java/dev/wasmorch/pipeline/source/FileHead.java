package dev.wasmorch.pipeline.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The CRC-32 of a file's first bytes: how a copy-truncate rotation's copy is recognised by its
 * content, since it is a new file (a new inode) holding lines that were already followed.
 *
 * @param crc    CRC-32 of the first {@code length} bytes
 * @param length how many bytes it covers, at most {@link #MAX}
 */
record FileHead(long crc, int length) {

    static final int MAX = 1024;

    /**
     * Fewer bytes say too little to call another file a copy: a real log's first 64 bytes hold a
     * timestamp with microseconds and a process id.
     */
    static final int MIN_MATCH = 64;

    /** A file's first bytes (at most {@link #MAX}), or {@code null} when it is gone. */
    static byte[] bytesOf(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, MAX);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The head of the given first bytes. */
    static FileHead of(byte[] head) {
        CRC32 crc = new CRC32();
        crc.update(head);
        return new FileHead(crc.getValue(), head.length);
    }

    /** True when this head is long enough to tell and {@code other} starts with the same bytes. */
    boolean startsOf(FileChannel other) throws IOException {
        return other.size() >= length && startsOf(read(other, length));
    }

    /** The same, for another file's first bytes already read. */
    boolean startsOf(byte[] other) {
        if (length < MIN_MATCH || other.length < length) {
            return false;
        }
        CRC32 c = new CRC32();
        c.update(other, 0, length);
        return c.getValue() == crc;
    }

    /** The first {@code n} bytes (fewer when the file is shorter). */
    static byte[] read(FileChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // a positional read may return fewer bytes than asked
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }
}
