package dev.wasmorch.pipeline.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.PodMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against fabric8's mock API server in CRUD mode: no cluster runs here. */
@EnableKubernetesMockClient(crud = true)
class KubePodListerTest {

    KubernetesClient client;

    @BeforeEach
    void pods() {
        client.pods()
                .inNamespace("fn")
                .resource(pod("fn", "aes-7d9c5b8f6-x2x9k", "aes", "wasmorch"))
                .create();
        client.pods()
                .inNamespace("fn")
                .resource(pod("fn", "matmul-7d9c5b8f6-abcde", "matmul", null))
                .create();
        client.pods()
                .inNamespace("openfaas-fn")
                .resource(pod("openfaas-fn", "aes-5c8d7f9b4-q8w2z", "aes", null))
                .create();
    }

    @Test
    void listsAllNamespacesOrOneWithASelector() {
        KubePodLister lister = new KubePodLister(client);

        assertThat(lister.list(null, null)).hasSize(3);
        assertThat(lister.list("fn", null))
                .extracting(PodMetadata::name)
                .containsExactlyInAnyOrder("aes-7d9c5b8f6-x2x9k", "matmul-7d9c5b8f6-abcde");
        assertThat(lister.list(null, "app=aes"))
                .extracting(PodMetadata::namespace)
                .containsExactlyInAnyOrder("fn", "openfaas-fn");
        PodMetadata wasm = lister.list("fn", "app=aes").get(0);
        assertThat(wasm.runtimeClassName()).isEqualTo("wasmorch");
        assertThat(wasm.node()).isEqualTo("agent-1");
        assertThat(wasm.ownerKind()).isEqualTo("ReplicaSet");
    }

    private static Pod pod(String ns, String name, String app, String runtimeClass) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .addToLabels("app", app)
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName(name.substring(0, name.lastIndexOf('-')))
                .withUid("rs-" + name)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName("agent-1")
                .withRuntimeClassName(runtimeClass)
                .addNewContainer()
                .withName(app)
                .withImage("example/" + app)
                .endContainer()
                .endSpec()
                .build();
    }
}
