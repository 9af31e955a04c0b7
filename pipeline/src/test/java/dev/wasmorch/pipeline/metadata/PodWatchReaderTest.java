package dev.wasmorch.pipeline.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.source.ListOutput;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live pod watch against fabric8's mock API server in CRUD mode (it stands in for the cluster). */
@EnableKubernetesMockClient(crud = true)
class PodWatchReaderTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void passesOnPodsAndMetadataChangesAndArchivesThemForBatchRuns() throws Exception {
        client.pods()
                .inNamespace("fn")
                .resource(pod("fn", "aes-1", "aes", "wasmorch", null))
                .create();
        client.pods()
                .inNamespace("other")
                .resource(pod("other", "aes-2", "aes", null, null))
                .create();
        Path archive = dir.resolve("pods-archive.jsonl");
        Collecting out = new Collecting();
        try (PodWatchReader reader = new PodWatchReader(options("fn", null, archive))) {
            reader.addSplits(List.of(new PodWatchSplit(java.util.Map.of())));
            out.awaitSize(reader, 1);
            assertThat(out.pods.get(0).name()).isEqualTo("aes-1");
            assertThat(out.pods.get(0).node()).isNull();

            // a status-only change is not passed on; a metadata change (the bind) is
            client.pods()
                    .inNamespace("fn")
                    .withName("aes-1")
                    .edit(p -> new PodBuilder(p)
                            .withNewStatus()
                            .withPhase("Pending")
                            .endStatus()
                            .build());
            client.pods()
                    .inNamespace("fn")
                    .withName("aes-1")
                    .edit(p -> new PodBuilder(p)
                            .editSpec()
                            .withNodeName("agent-1")
                            .endSpec()
                            .build());
            client.pods()
                    .inNamespace("fn")
                    .resource(pod("fn", "aes-3", "aes", "wasmorch", "agent-2"))
                    .create();
            out.awaitSize(reader, 3);
        }
        assertThat(out.pods)
                .extracting(PodMetadata::name, PodMetadata::node)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("aes-1", null),
                        org.assertj.core.groups.Tuple.tuple("aes-1", "agent-1"),
                        org.assertj.core.groups.Tuple.tuple("aes-3", "agent-2"));
        assertThat(PodSnapshotReader.read(archive)).isEqualTo(out.pods);
    }

    @Test
    void followsALabelSelectorInAllNamespaces() throws Exception {
        client.pods()
                .inNamespace("fn")
                .resource(pod("fn", "aes-1", "aes", "wasmorch", "agent-1"))
                .create();
        client.pods()
                .inNamespace("fn")
                .resource(pod("fn", "matmul-1", "matmul", "wasmorch", "agent-1"))
                .create();
        client.pods()
                .inNamespace("openfaas-fn")
                .resource(pod("openfaas-fn", "aes-2", "aes", null, "agent-2"))
                .create();
        Collecting out = new Collecting();
        try (PodWatchReader reader = new PodWatchReader(options(null, "app=aes", null))) {
            reader.addSplits(List.of(new PodWatchSplit(java.util.Map.of())));
            out.awaitSize(reader, 2);
            client.pods()
                    .inNamespace("fn")
                    .resource(pod("fn", "aes-4", "aes", "wasmorch", "agent-1"))
                    .create();
            out.awaitSize(reader, 3);
        }
        assertThat(out.pods)
                .extracting(PodMetadata::podKey)
                .containsExactlyInAnyOrder("fn/aes-1", "openfaas-fn/aes-2", "fn/aes-4");
    }

    @Test
    void aRestoredWatchPassesOnOnlyWhatChangedSinceTheCheckpoint() throws Exception {
        client.pods()
                .inNamespace("fn")
                .resource(pod("fn", "aes-1", "aes", "wasmorch", "agent-1"))
                .create();
        client.pods()
                .inNamespace("fn")
                .resource(pod("fn", "aes-2", "aes", "wasmorch", null))
                .create();
        PodWatchSplit checkpoint;
        try (PodWatchReader reader = new PodWatchReader(options("fn", null, null))) {
            reader.addSplits(List.of(new PodWatchSplit(java.util.Map.of())));
            new Collecting().awaitSize(reader, 2);
            checkpoint = reader.snapshotState(1).get(0);
        }
        client.pods()
                .inNamespace("fn")
                .withName("aes-2")
                .edit(p -> new PodBuilder(p)
                        .editSpec()
                        .withNodeName("agent-2")
                        .endSpec()
                        .build());
        PodWatchSplit restored =
                PodWatchSerializers.SPLIT.deserialize(1, PodWatchSerializers.SPLIT.serialize(checkpoint));
        assertThat(restored).isEqualTo(checkpoint);
        Collecting out = new Collecting();
        try (PodWatchReader reader = new PodWatchReader(options("fn", null, null))) {
            reader.addSplits(List.of(restored));
            out.awaitSize(reader, 1);
            Thread.sleep(500); // the relist is complete; nothing else may follow
            reader.pollNext(out);
        }
        assertThat(out.pods)
                .extracting(PodMetadata::name, PodMetadata::node)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("aes-2", "agent-2"));
    }

    private PodWatchOptions options(String namespace, String selector, Path archive) {
        String url = client.getConfiguration().getMasterUrl();
        KubeClientFactory mock = () -> new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(url)
                        .withTrustCerts(true)
                        .build())
                .build();
        return new PodWatchOptions(
                mock, namespace, selector, archive == null ? null : archive.toString(), Duration.ZERO, 4);
    }

    private static Pod pod(String ns, String name, String app, String runtimeClass, String node) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .withUid("uid-" + ns + "-" + name)
                .addToLabels("app", app)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withRuntimeClassName(runtimeClass)
                .addNewContainer()
                .withName(app)
                .withImage("example/" + app)
                .endContainer()
                .endSpec()
                .build();
    }

    /** Polls the reader like Flink's task thread does, waiting on its availability future. */
    private static final class Collecting extends ListOutput<PodMetadata> {
        final List<PodMetadata> pods = records;

        void awaitSize(PodWatchReader reader, int n) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (pods.size() < n) {
                assertThat(System.nanoTime()).as("pods seen so far: %s", pods).isLessThan(deadline);
                if (reader.pollNext(this) == InputStatus.NOTHING_AVAILABLE) {
                    try {
                        reader.isAvailable().get(1, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException stillNothing) {
                        // look again until the deadline
                    }
                }
            }
        }
    }
}
