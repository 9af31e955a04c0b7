package dev.wasmorch.shim.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs an app directory (spin.toml + modules + granted files) as an OCI image layout archive that
 * {@code ctr image import} reads: {@code oci-layout}, {@code index.json} (naming the image through
 * {@code io.containerd.image.name} and {@code org.opencontainers.image.ref.name}) and
 * {@code blobs/sha256/} with the manifest, the config and one gzip layer holding the app at the root
 * of the container's file system. Entries carry fixed times and owners, so the same app directory
 * always gives the same digests.
 */
public final class OciImageWriter {

    public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    public static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    public static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A content-addressed blob. */
    public record Blob(String mediaType, byte[] bytes) {
        public String digest() {
            return "sha256:" + sha256(bytes);
        }
    }

    /** What was written: the name and the manifest's digest. */
    public record Result(String name, String manifestDigest, long layerSize) {}

    private OciImageWriter() {}

    /**
     * @param appDir   the app directory ({@code spin.toml} at its top)
     * @param out      the archive to write
     * @param name     the image reference, e.g. {@code docker.io/library/hello:1.0} (Kubernetes
     *                 normalizes short names to that form, so give it in full for pods)
     * @param os       the platform's OS, normally {@code linux}
     * @param arch     the platform's architecture, normally the node's ({@code amd64}, {@code arm64}):
     *                 {@code ctr image import} unpacks only images for its own platform by default
     */
    public static Result write(Path appDir, OutputStream out, String name, String os, String arch) throws IOException {
        if (!Files.isRegularFile(appDir.resolve("spin.toml"))) {
            throw new IOException(appDir + ": no spin.toml: not a Spin app directory");
        }
        if (!name.matches("[a-z0-9][a-z0-9._/:@-]*")) {
            throw new IllegalArgumentException("image name \"" + name + "\" is not a valid reference (lower-case "
                    + "letters, digits and . _ / : @ -)");
        }
        byte[] layerTar = layerTar(appDir);
        Blob layer = new Blob(LAYER_TYPE, gzip(layerTar));
        Blob config = new Blob(CONFIG_TYPE, json(config(os, arch, "sha256:" + sha256(layerTar))));
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        manifest.set("config", descriptor(config));
        manifest.putArray("layers").add(descriptor(layer));
        manifest.putObject("annotations").put("org.opencontainers.image.title", name);
        Blob manifestBlob = new Blob(MANIFEST_TYPE, json(manifest));

        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_TYPE);
        ObjectNode entry = descriptor(manifestBlob);
        entry.putObject("platform").put("architecture", arch).put("os", os);
        entry.putObject("annotations")
                .put("io.containerd.image.name", name)
                .put("org.opencontainers.image.ref.name", name);
        index.putArray("manifests").add(entry);

        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            addFile(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            addFile(tar, "index.json", json(index));
            addDir(tar, "blobs/");
            addDir(tar, "blobs/sha256/");
            for (Blob b : List.of(layer, config, manifestBlob)) {
                addFile(tar, "blobs/sha256/" + b.digest().substring("sha256:".length()), b.bytes());
            }
            tar.finish();
        }
        return new Result(name, manifestBlob.digest(), layer.bytes().length);
    }

    private static ObjectNode config(String os, String arch, String diffId) {
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", arch);
        c.put("os", os);
        // The shim reads /spin.toml itself; the entrypoint names it so `ctr run` has a process to show.
        c.putObject("config").putArray("Entrypoint").add("/spin.toml");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId);
        return c;
    }

    private static ObjectNode descriptor(Blob b) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", b.mediaType());
        d.put("digest", b.digest());
        d.put("size", b.bytes().length);
        return d;
    }

    /** The app directory as a tar with paths relative to the container root, sorted for reproducibility. */
    private static byte[] layerTar(Path appDir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(appDir)) {
            paths = walk.filter(p -> !p.equals(appDir)).sorted().toList();
        }
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path p : paths) {
                String rel = appDir.relativize(p).toString().replace('\\', '/');
                BasicFileAttributes attrs =
                        Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isSymbolicLink()) {
                    throw new IOException(p + ": symbolic links are not packed (copy the file into the app instead)");
                } else if (attrs.isOther()) {
                    // reading a FIFO would hang the packer, a device would be read without end
                    throw new IOException(p + ": devices, FIFOs and sockets are not packed");
                } else if (attrs.isDirectory()) {
                    addDir(tar, rel + "/");
                } else {
                    addFile(tar, rel, Files.readAllBytes(p));
                }
            }
            tar.finish();
        }
        return bytes.toByteArray();
    }

    private static void addFile(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(0644);
        fixed(e);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void addDir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        fixed(e);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void fixed(TarArchiveEntry e) {
        e.setModTime(0);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("root");
        e.setGroupName("root");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] json(ObjectNode node) throws IOException {
        return JSON.writeValueAsBytes(node);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
