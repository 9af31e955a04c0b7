package dev.wasmorch.functions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** A tar archive read whole: its entries in order, with their contents. */
record OciArchive(List<Entry> entries) {

    record Entry(String name, boolean directory, int mode, long uid, long gid, long mtime, byte[] content) {}

    static OciArchive read(Path tar) throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            return read(in);
        }
    }

    static OciArchive readGzip(byte[] gz) throws IOException {
        return read(new GZIPInputStream(new ByteArrayInputStream(gz)));
    }

    private static OciArchive read(InputStream raw) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.add(new Entry(
                        e.getName(),
                        e.isDirectory(),
                        e.getMode(),
                        e.getLongUserId(),
                        e.getLongGroupId(),
                        e.getModTime().getTime(),
                        tar.readAllBytes()));
            }
        }
        return new OciArchive(List.copyOf(entries));
    }

    /** Regular files by name. */
    Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        entries.stream().filter(e -> !e.directory()).forEach(e -> files.put(e.name(), e.content()));
        return files;
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
