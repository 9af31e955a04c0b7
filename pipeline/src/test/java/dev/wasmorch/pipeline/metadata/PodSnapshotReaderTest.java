package dev.wasmorch.pipeline.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.source.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodSnapshotReaderTest {

    /** One item as `kubectl get pods -A -o json` prints it (trimmed of status). */
    static final String WASM_POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"aes-7d9c5b8f6-x2x9k","namespace":"fn",
             "uid":"6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10","creationTimestamp":"2026-11-26T21:24:09Z",
             "labels":{"app":"aes","pod-template-hash":"7d9c5b8f6"},
             "annotations":{"wasmorch.dev/runtime":"wasm"},
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"aes-7d9c5b8f6",
               "uid":"a1","controller":true,"blockOwnerDeletion":true}]},
             "spec":{"nodeName":"agent-1","runtimeClassName":"wasmorch",
               "containers":[{"name":"aes","image":"ghcr.io/example/aes:v2"}]}}""";

    static final String CONTAINER_POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"aes-5c8d7f9b4-q8w2z","namespace":"openfaas-fn",
             "uid":"7a1b","creationTimestamp":"2026-11-26T21:25:00Z","labels":{"faas_function":"aes"}},
             "spec":{"nodeName":"agent-2","containers":[{"name":"aes","image":"openfaas/aes:latest"}]}}""";

    @TempDir
    Path dir;

    @Test
    void readsAKubectlListWithEveryField() throws Exception {
        Path f = write(
                "pods.json",
                "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + WASM_POD + "," + CONTAINER_POD + "]}");

        List<PodMetadata> pods = PodSnapshotReader.read(f);

        assertThat(pods).hasSize(2);
        PodMetadata p = pods.get(0);
        assertThat(p.uid()).isEqualTo("6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10");
        assertThat(p.namespace()).isEqualTo("fn");
        assertThat(p.name()).isEqualTo("aes-7d9c5b8f6-x2x9k");
        assertThat(p.node()).isEqualTo("agent-1");
        assertThat(p.runtimeClassName()).isEqualTo("wasmorch");
        assertThat(p.labels()).containsEntry("app", "aes");
        assertThat(p.annotations()).containsEntry("wasmorch.dev/runtime", "wasm");
        assertThat(p.ownerKind()).isEqualTo("ReplicaSet");
        assertThat(p.ownerName()).isEqualTo("aes-7d9c5b8f6");
        assertThat(p.images()).containsExactly("ghcr.io/example/aes:v2");
        assertThat(p.creationTime()).isEqualTo(Instant.parse("2026-11-26T21:24:09Z"));
        assertThat(pods.get(1).runtimeClassName()).isNull();
        assertThat(pods.get(1).ownerKind()).isNull();
    }

    @Test
    void readsJsonLinesArchivesAndSinglePodsAndGzip() throws Exception {
        Path lines =
                write("archive.jsonl", WASM_POD.replace("\n", "") + "\n\n" + CONTAINER_POD.replace("\n", "") + "\n");
        Path single = write("pod.json", WASM_POD);
        Path gz = dir.resolve("pods.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(("{\"kind\":\"List\",\"items\":[" + CONTAINER_POD + "]}").getBytes(StandardCharsets.UTF_8));
        }

        assertThat(PodSnapshotReader.read(lines))
                .extracting(PodMetadata::name)
                .containsExactly("aes-7d9c5b8f6-x2x9k", "aes-5c8d7f9b4-q8w2z");
        assertThat(PodSnapshotReader.read(single)).hasSize(1);
        assertThat(PodSnapshotReader.read(gz)).extracting(PodMetadata::node).containsExactly("agent-2");
    }

    @Test
    void errorsNameTheFileAndTheItem() throws Exception {
        Path broken = write("broken.json", "{\"items\":[" + WASM_POD + ",{\"metadata\":{\"namespace\":\"x\"}}]}");
        Path badTime = write("time.json", WASM_POD.replace("2026-11-26T21:24:09Z", "yesterday"));
        Path notJson = write("nonsense.json", "{{{");
        Path badLine = write("bad.jsonl", WASM_POD.replace("\n", "") + "\n{oops\n");

        assertThatThrownBy(() -> PodSnapshotReader.read(broken))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("broken.json")
                .hasMessageContaining("items[1]")
                .hasMessageContaining("metadata.name");
        assertThatThrownBy(() -> PodSnapshotReader.read(badTime)).hasMessageContaining("creationTimestamp");
        assertThatThrownBy(() -> PodSnapshotReader.read(notJson)).hasMessageContaining("nonsense.json");
        assertThatThrownBy(() -> PodSnapshotReader.read(badLine)).hasMessageContaining("bad.jsonl:2");
        assertThatThrownBy(() -> PodSnapshotReader.read(dir.resolve("missing.json")))
                .hasMessageContaining("missing.json")
                .hasMessageContaining("does not exist");
    }

    @Test
    void snapshotsOfTheWrongShapeOrWithoutPodsAreRefusedNamingTheFileAndTheItem() throws Exception {
        String list = "{\"kind\":\"List\",\"items\":[" + WASM_POD + ",%s]}";
        assertThatThrownBy(() -> PodSnapshotReader.read(write("null-item.json", list.formatted("null"))))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("null-item.json")
                .hasMessageContaining("items[1]")
                .hasMessageContaining("expected a Pod object, found NULL");
        assertThatThrownBy(() -> PodSnapshotReader.read(write("number-item.json", list.formatted("42"))))
                .hasMessageContaining("number-item.json, items[1]")
                .hasMessageContaining("found NUMBER");
        assertThatThrownBy(() -> PodSnapshotReader.read(write("node-item.json", list.formatted("{\"kind\":\"Node\"}"))))
                .hasMessageContaining("node-item.json, items[1]")
                .hasMessageContaining("found kind Node");
        assertThatThrownBy(() -> PodSnapshotReader.read(write("deployment.json", "{\"kind\":\"Deployment\"}")))
                .hasMessageContaining("deployment.json, line 1")
                .hasMessageContaining("found kind Deployment");
        assertThatThrownBy(() -> PodSnapshotReader.read(write("no-items.json", "{\"kind\":\"List\"}")))
                .hasMessageContaining("no-items.json, line 1")
                .hasMessageContaining("needs an items array");
        assertThatThrownBy(() -> PodSnapshotReader.read(write("items-null.json", "{\"kind\":\"List\",\"items\":null}")))
                .hasMessageContaining("items-null.json");
        assertThatThrownBy(() -> PodSnapshotReader.read(write("array.json", "[" + WASM_POD + "]")))
                .hasMessageContaining("array.json, line 1")
                .hasMessageContaining("expected a JSON object");
        for (String empty : List.of("", "  \n", "{\"kind\":\"List\",\"items\":[]}")) {
            Path f = write("empty.json", empty);
            assertThatThrownBy(() -> PodSnapshotReader.validate(f))
                    .as("%s", empty)
                    .isInstanceOf(InputException.class)
                    .hasMessageContaining("empty.json holds no pods");
        }
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
