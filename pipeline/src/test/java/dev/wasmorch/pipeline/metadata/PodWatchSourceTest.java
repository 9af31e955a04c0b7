package dev.wasmorch.pipeline.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.PodMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** The pod watch as a Flink source on a local cluster, against fabric8's mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class PodWatchSourceTest {

    KubernetesClient client;

    @Test
    void deliversPodsThatExistAndPodsCreatedLater() throws Exception {
        create("aes-1");
        String url = client.getConfiguration().getMasterUrl();
        KubeClientFactory mock = () -> new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(url)
                        .withTrustCerts(true)
                        .build())
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<String> seen = new ArrayList<>();
        try (CloseableIterator<PodMetadata> it = env.fromSource(
                        new PodWatchSource(PodWatchOptions.of("fn", null, null).withClients(mock)),
                        WatermarkStrategy.noWatermarks(),
                        "pods")
                .setParallelism(1)
                .keyBy(PodMetadata::podKey)
                .map(p -> p)
                .returns(PodMetadata.class)
                .executeAndCollect("pod-watch-test")) {
            seen.add(it.next().name());
            create("aes-2");
            seen.add(it.next().name());
        }
        assertThat(seen).containsExactly("aes-1", "aes-2");
    }

    private void create(String name) {
        client.pods()
                .inNamespace("fn")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("fn")
                        .withName(name)
                        .withUid("uid-" + name)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("c")
                        .withImage("example/c")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }
}
