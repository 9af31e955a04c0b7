package dev.wasmorch.contract.crinode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The pod sandbox image, built on the node from source instead of pulled (no registry is reached):
 * {@code pause.c} compiled static with the system's C compiler, packed as an OCI image layout
 * archive of one uncompressed layer holding {@code /pause}, named for {@code ctr images import}.
 */
final class PauseImage {

    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar";

    private PauseImage() {}

    /** Compiles pause.c in {@code work} and writes the archive there; returns the archive's path. */
    static Path build(Path work, String ref) throws IOException, InterruptedException {
        Path source = work.resolve("pause.c");
        try (InputStream in = PauseImage.class.getResourceAsStream("pause.c")) {
            if (in == null) {
                throw new IOException("pause.c is missing from the class path (contract jar broken)");
            }
            Files.write(source, in.readAllBytes());
        }
        Path binary = work.resolve("pause");
        Command.run(
                        List.of("cc", "-static", "-Os", "-s", "-o", binary.toString(), source.toString()),
                        Duration.ofSeconds(60))
                .ok();
        byte[] layer = new Tar().file("pause", 0755, Files.readAllBytes(binary)).bytes();
        String layerDigest = digest(layer);
        byte[] config = ("{\"architecture\":\"" + arch() + "\",\"os\":\"linux\","
                        + "\"config\":{\"Entrypoint\":[\"/pause\"]},"
                        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\","
                        + "\"config\":" + descriptor(CONFIG, config) + ","
                        + "\"layers\":[" + descriptor(LAYER, layer) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        String entry = descriptor(MANIFEST, manifest);
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                        + "\"manifests\":[" + entry.substring(0, entry.length() - 1)
                        + ",\"platform\":{\"architecture\":\"" + arch() + "\",\"os\":\"linux\"},"
                        + "\"annotations\":{\"io.containerd.image.name\":\"" + ref + "\","
                        + "\"org.opencontainers.image.ref.name\":\"" + ref + "\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        Tar archive = new Tar()
                .file("oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8))
                .file("index.json", 0644, index)
                .dir("blobs/")
                .dir("blobs/sha256/");
        for (byte[] blob : List.of(layer, config, manifest)) {
            archive.file("blobs/sha256/" + digest(blob).substring("sha256:".length()), 0644, blob);
        }
        Path out = work.resolve("pause.tar");
        Files.write(out, archive.bytes());
        return out;
    }

    /** The node's architecture as OCI names it (ctr imports only its own platform's images). */
    static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    private static String descriptor(String mediaType, byte[] blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest(blob) + "\",\"size\":" + blob.length + "}";
    }

    private static String digest(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
