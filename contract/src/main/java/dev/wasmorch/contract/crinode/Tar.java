package dev.wasmorch.contract.crinode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A POSIX ustar archive of regular files, built in memory: what an OCI layer and an OCI layout
 * archive for {@code ctr images import} need. Fixed owner (0:0) and time (0), so the same files
 * give the same bytes and digests.
 */
final class Tar {

    private static final int BLOCK = 512;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Adds a regular file; {@code mode} is its permission bits (e.g. 0755). */
    Tar file(String name, int mode, byte[] content) {
        return entry(name, mode, '0', content);
    }

    /** Adds a directory ({@code name} ends in '/'). */
    Tar dir(String name) {
        return entry(name, 0755, '5', new byte[0]);
    }

    private Tar entry(String name, int mode, char type, byte[] content) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + name);
        }
        byte[] header = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0); // uid
        octal(header, 116, 8, 0); // gid
        octal(header, 124, 12, content.length);
        octal(header, 136, 12, 0); // mtime
        header[156] = (byte) type;
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, header, 257, magic.length);
        // the checksum is computed with its own field as eight spaces
        Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        header[155] = ' ';
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
        return this;
    }

    /** The archive with its end marker (two zero blocks). */
    byte[] bytes() {
        ByteArrayOutputStream done = new ByteArrayOutputStream();
        done.writeBytes(out.toByteArray());
        done.writeBytes(new byte[2 * BLOCK]);
        return done.toByteArray();
    }

    /** A zero-padded octal number ending in NUL, filling {@code length} bytes at {@code offset}. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("value " + value + " does not fit a tar field of " + length);
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, header, offset, length - 1);
        header[offset + length - 1] = 0;
    }
}
