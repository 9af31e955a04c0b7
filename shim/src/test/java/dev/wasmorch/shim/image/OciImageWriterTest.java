package dev.wasmorch.shim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciImageWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path app;

    @BeforeEach
    void app() throws IOException {
        Files.writeString(app.resolve("spin.toml"), "spin_manifest_version = 2\n");
        Files.write(app.resolve("hello.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Files.createDirectories(app.resolve("static"));
        Files.writeString(app.resolve("static/index.html"), "<h1>hi</h1>");
    }

    @Test
    void archiveIsAConsistentOciLayout() throws IOException {
        Map<String, byte[]> files = untar(pack("docker.io/library/hello:1.0"));
        assertThat(new String(files.get("oci-layout"), StandardCharsets.UTF_8))
                .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        // Every blob is stored under the hex of its own SHA-256.
        files.forEach((name, bytes) -> {
            if (name.startsWith("blobs/sha256/") && !name.endsWith("/")) {
                assertThat(OciImageWriter.sha256(bytes)).isEqualTo(name.substring("blobs/sha256/".length()));
            }
        });

        JsonNode index = JSON.readTree(files.get("index.json"));
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asText()).isEqualTo(OciImageWriter.INDEX_TYPE);
        JsonNode entry = index.get("manifests").get(0);
        assertThat(entry.get("mediaType").asText()).isEqualTo(OciImageWriter.MANIFEST_TYPE);
        assertThat(entry.at("/annotations/org.opencontainers.image.ref.name").asText())
                .isEqualTo("docker.io/library/hello:1.0");
        assertThat(entry.at("/annotations/io.containerd.image.name").asText()).isEqualTo("docker.io/library/hello:1.0");
        assertThat(entry.at("/platform/os").asText()).isEqualTo("linux");
        assertThat(entry.at("/platform/architecture").asText()).isEqualTo("amd64");
        byte[] manifestBytes = blob(files, entry);

        JsonNode manifest = JSON.readTree(manifestBytes);
        assertThat(manifest.get("mediaType").asText()).isEqualTo(OciImageWriter.MANIFEST_TYPE);
        assertThat(manifest.at("/config/mediaType").asText()).isEqualTo(OciImageWriter.CONFIG_TYPE);
        JsonNode config = JSON.readTree(blob(files, manifest.get("config")));
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(config.at("/rootfs/type").asText()).isEqualTo("layers");

        JsonNode layerDesc = manifest.get("layers").get(0);
        assertThat(layerDesc.get("mediaType").asText()).isEqualTo(OciImageWriter.LAYER_TYPE);
        byte[] layerTar = new GZIPInputStream(new ByteArrayInputStream(blob(files, layerDesc))).readAllBytes();
        // diff_id is the digest of the uncompressed layer.
        assertThat(config.at("/rootfs/diff_ids/0").asText()).isEqualTo("sha256:" + OciImageWriter.sha256(layerTar));
        Map<String, byte[]> layer = untar(layerTar);
        assertThat(layer).containsOnlyKeys("hello.wasm", "spin.toml", "static/", "static/index.html");
        assertThat(layer.get("hello.wasm")).isEqualTo(Files.readAllBytes(app.resolve("hello.wasm")));
    }

    @Test
    void sameAppGivesTheSameArchive() throws IOException {
        assertThat(pack("hello:1.0")).isEqualTo(pack("hello:1.0"));
    }

    @Test
    void refusesBadInput() throws IOException {
        assertThatThrownBy(() -> pack("Hello World"))
                .hasMessageContaining("image name \"Hello World\" is not a valid reference");
        Files.delete(app.resolve("spin.toml"));
        assertThatThrownBy(() -> pack("hello:1.0")).hasMessageContaining("no spin.toml");
    }

    @Test
    void refusesLinksAndSpecialFilesInsteadOfPackingThem(@TempDir Path host) throws Exception {
        Path secret = Files.writeString(host.resolve("secret"), "packer's own file");
        Files.createSymbolicLink(app.resolve("static/secret"), secret);
        assertThatThrownBy(() -> pack("hello:1.0"))
                .hasMessage(app.resolve("static/secret")
                        + ": symbolic links are not packed (copy the file into the app instead)");
        Files.delete(app.resolve("static/secret"));

        Process mkfifo = new ProcessBuilder("mkfifo", app.resolve("static/pipe").toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> pack("hello:1.0"))
                        .hasMessage(app.resolve("static/pipe") + ": devices, FIFOs and sockets are not packed"));
    }

    /** The descriptor's blob, after checking that its size and digest match the stored bytes. */
    private static byte[] blob(Map<String, byte[]> files, JsonNode descriptor) {
        String digest = descriptor.get("digest").asText();
        assertThat(digest).startsWith("sha256:");
        byte[] bytes = files.get("blobs/sha256/" + digest.substring(7));
        assertThat(bytes).as("blob %s", digest).isNotNull();
        assertThat(descriptor.get("size").asLong()).isEqualTo(bytes.length);
        return bytes;
    }

    private byte[] pack(String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OciImageWriter.write(app, out, name, "linux", "amd64");
        return out.toByteArray();
    }

    private static Map<String, byte[]> untar(byte[] tar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }
}
