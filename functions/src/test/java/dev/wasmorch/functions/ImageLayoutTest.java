package dev.wasmorch.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The archives build.sh wrote: OCI image layouts whose digests, sizes and configs hold. */
class ImageLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog CATALOG = Catalog.load();

    static Stream<String> names() {
        return CATALOG.functions().stream().map(Catalog.Function::name);
    }

    /** Checks the layout's chain index -> manifest -> config + layer; returns config and layer. */
    private static List<Object> verifiedImage(Path tar, String imageName) throws Exception {
        OciArchive archive = OciArchive.read(tar);
        for (OciArchive.Entry e : archive.entries()) {
            assertThat(e.uid()).as(e.name()).isZero();
            assertThat(e.gid()).as(e.name()).isZero();
            assertThat(e.mtime()).as(e.name()).isZero();
        }
        Map<String, byte[]> files = archive.files();
        assertThat(new String(files.get("oci-layout"), StandardCharsets.UTF_8))
                .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        JsonNode index = JSON.readTree(files.get("index.json"));
        assertThat(index.get("manifests")).hasSize(1);
        JsonNode entry = index.get("manifests").get(0);
        assertThat(entry.at("/annotations/io.containerd.image.name").asText()).isEqualTo(imageName);
        assertThat(entry.at("/annotations/org.opencontainers.image.ref.name").asText())
                .isEqualTo(imageName);
        assertThat(entry.at("/platform/os").asText()).isEqualTo("linux");
        byte[] manifestBytes = blob(files, entry);
        JsonNode manifest = JSON.readTree(manifestBytes);
        assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        byte[] configBytes = blob(files, manifest.get("config"));
        assertThat(manifest.get("layers")).hasSize(1);
        byte[] layerGz = blob(files, manifest.get("layers").get(0));
        JsonNode config = JSON.readTree(configBytes);
        OciArchive layer = OciArchive.readGzip(layerGz);
        // the config names the uncompressed layer
        byte[] layerTar = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(layerGz)).readAllBytes();
        assertThat(config.at("/rootfs/diff_ids/0").asText()).isEqualTo(OciArchive.sha256(layerTar));
        assertThat(config.get("architecture").asText())
                .isEqualTo(entry.at("/platform/architecture").asText());
        // every blob is referenced: nothing else rides along
        assertThat(files.keySet().stream().filter(n -> n.startsWith("blobs/"))).hasSize(3);
        return List.of(config, layer);
    }

    private static byte[] blob(Map<String, byte[]> files, JsonNode descriptor) {
        String digest = descriptor.get("digest").asText();
        byte[] b = files.get("blobs/sha256/" + digest.substring("sha256:".length()));
        assertThat(b).as(digest).isNotNull();
        assertThat(OciArchive.sha256(b)).isEqualTo(digest);
        assertThat((long) b.length).isEqualTo(descriptor.get("size").asLong());
        return b;
    }

    @ParameterizedTest
    @MethodSource("names")
    void wasmImageHoldsTheManifestAndTheModule(String name) throws Exception {
        Catalog.Function f = CATALOG.function(name);
        List<Object> image =
                verifiedImage(Catalog.OUT.resolve(name).resolve("wasm.tar"), "docker.io/wasmorch/" + name + ":wasm");
        OciArchive layer = (OciArchive) image.get(1);
        Map<String, byte[]> files = layer.files();
        assertThat(files.keySet()).containsExactlyInAnyOrder("spin.toml", f.file() + ".wasm");
        assertThat(files.get(f.file() + ".wasm"))
                .isEqualTo(Files.readAllBytes(Catalog.OUT.resolve(name).resolve(f.file() + ".wasm")));
        assertThat(new String(files.get("spin.toml"), StandardCharsets.UTF_8))
                .contains("source = \"" + f.file() + ".wasm\"")
                .contains("executor = { type = \"wagi\" }")
                .contains("route = \"/...\"");
        if (f.allowed_http_hosts() != null) {
            assertThat(new String(files.get("spin.toml"), StandardCharsets.UTF_8))
                    .contains("allowed_http_hosts = [\"" + String.join("\", \"", f.allowed_http_hosts()) + "\"]");
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void nativeImageHoldsTheServerAndExactlyItsSharedObjects(String name) throws Exception {
        Catalog.Function f = CATALOG.function(name);
        Path binary = Catalog.OUT.resolve(name).resolve(f.file());
        List<Object> image = verifiedImage(
                Catalog.OUT.resolve(name).resolve("native.tar"), "docker.io/wasmorch/" + name + ":native");
        JsonNode config = ((JsonNode) image.get(0)).get("config");
        assertThat(config.get("User").asText()).isEqualTo("65532:65532");
        assertThat(config.get("Env").get(0).asText()).isEqualTo("PORT=8080");
        assertThat(config.get("Entrypoint").get(0).asText()).isEqualTo("/" + f.file());
        Map<String, byte[]> files = ((OciArchive) image.get(1)).files();
        assertThat(files.get(f.file())).isEqualTo(Files.readAllBytes(binary));
        List<String> expected = new ArrayList<>(ldd(binary));
        expected.add(f.file());
        assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The absolute paths ldd resolves for the binary, without the leading '/'. */
    private static List<String> ldd(Path binary) throws Exception {
        Process p = new ProcessBuilder("ldd", binary.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> libs = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length >= 3 && w[1].equals("=>") && w[2].startsWith("/")) {
                libs.add(w[2].substring(1));
            } else if (w.length >= 1 && w[0].startsWith("/")) {
                libs.add(w[0].substring(1));
            }
        }
        assertThat(libs).anyMatch(l -> l.contains("libc.so"));
        return libs.stream().distinct().toList();
    }

    /** The packer gives the same bytes for the same files, whatever their times and the umask's. */
    @Test
    void packingIsReproducible(@TempDir Path dir) throws Exception {
        byte[][] archives = new byte[2][];
        for (int run = 0; run < 2; run++) {
            Path root = Files.createDirectories(dir.resolve("root" + run).resolve("sub"));
            Files.writeString(root.resolve("b.txt"), "bee");
            Files.writeString(root.getParent().resolve("a.txt"), "ay");
            Files.setLastModifiedTime(root.resolve("b.txt"), FileTime.from(Instant.ofEpochSecond(run * 1_000_000L)));
            Path out = dir.resolve("out" + run + ".tar");
            Process p = new ProcessBuilder(
                            "bash",
                            "-c",
                            "umask " + (run == 0 ? "022" : "077")
                                    + " && . \"$0\" && oci_pack \"$1\" \"$2\" x.io/t:1 '{}'",
                            Catalog.DIR.resolve("lib/oci.sh").toString(),
                            root.getParent().toString(),
                            out.toString())
                    .redirectErrorStream(true)
                    .start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(log).isZero();
            archives[run] = Files.readAllBytes(out);
        }
        assertThat(archives[1]).isEqualTo(archives[0]);
        Path tar = dir.resolve("check.tar");
        Files.write(tar, archives[0]);
        OciArchive layer = (OciArchive) verifiedImage(tar, "x.io/t:1").get(1);
        assertThat(layer.files().keySet()).containsExactly("a.txt", "sub/b.txt");
    }
}
