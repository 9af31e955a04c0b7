package dev.wasmorch.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.ports.RedisSettings;
import dev.wasmorch.operator.reconcile.validate.SpecPolicy;
import dev.wasmorch.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * End to end on a real K3s in Docker, for users with Docker; skipped (visibly) without it and never
 * needed by CI. Uses pod mode with K3s's own runc handler behind a RuntimeClass, since a stock K3s
 * image has no WebAssembly shim: what it proves is the real API server's side (schema, status
 * subresource, owner-reference garbage collection, a Deployment that really becomes ready).
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sEndToEndTest {
    @Container
    private static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.2-k3s1"));

    @Test
    void aWasmAppBecomesReadyAndItsChildrenAreCollectedWithIt() throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
                .build()) {
            client.resource(client.getKubernetesSerialization()
                            .unmarshal(
                                    getClass().getResourceAsStream("/META-INF/fabric8/wasmapps.wasmorch.dev-v1.yml"),
                                    CustomResourceDefinition.class))
                    .create();
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName("wasmapps.wasmorch.dev")
                    .waitUntilCondition(
                            c -> c.getStatus() != null
                                    && c.getStatus().getConditions().stream()
                                            .anyMatch(x ->
                                                    "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                            60,
                            java.util.concurrent.TimeUnit.SECONDS);
            client.resource(new RuntimeClassBuilder()
                            .withNewMetadata()
                            .withName("runc-e2e")
                            .endMetadata()
                            .withHandler("runc")
                            .build())
                    .create();
            client.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("e2e")
                            .endMetadata()
                            .build())
                    .create();

            OperatorRuntime.Settings settings = new OperatorRuntime.Settings(
                    Set.of(),
                    RedisSettings.parse(RedisSettings.DEFAULT_URL + "/1", null, Duration.ofSeconds(1), "e2e"),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(10),
                    2,
                    "e2e",
                    null,
                    // A stock K3s has no WebAssembly shim: runc stands in, so it is declared a WASM handler here.
                    new SpecPolicy(WasmAppSpec.MAX_REPLICAS, Set.of("runc")));
            try (OperatorRuntime ignored = OperatorRuntime.start(client, settings, Metrics.NOOP)) {
                WasmApp app = new WasmApp();
                app.setMetadata(new ObjectMetaBuilder()
                        .withName("web")
                        .withNamespace("e2e")
                        .build());
                WasmAppSpec spec = new WasmAppSpec();
                spec.setOciImage("docker.io/library/nginx");
                spec.setOciImageTag("1.27-alpine");
                spec.setRuntimeClass("runc-e2e");
                spec.setNetworkMode(NetworkMode.POD);
                app.setSpec(spec);
                client.resource(app).create();

                await().atMost(Duration.ofMinutes(4))
                        .pollInterval(Duration.ofSeconds(2))
                        .untilAsserted(() -> {
                            WasmApp seen = client.resources(WasmApp.class)
                                    .inNamespace("e2e")
                                    .withName("web")
                                    .get();
                            assertThat(seen.getStatus()).isNotNull();
                            assertThat(seen.getStatus().getConditions()).anySatisfy(c -> {
                                assertThat(c.getType()).isEqualTo("Ready");
                                assertThat(c.getStatus()).isEqualTo("True");
                            });
                            assertThat(seen.getStatus().getEndpoints())
                                    .singleElement()
                                    .asString()
                                    .endsWith(":80");
                        });
                assertThat(client.pods()
                                .inNamespace("e2e")
                                .withLabel("wasmorch.dev/function", "web")
                                .list()
                                .getItems())
                        .singleElement()
                        .satisfies(p -> assertThat(p.getMetadata().getAnnotations())
                                .containsEntry("wasmorch.dev/runtime", "wasm"));

                client.resources(WasmApp.class)
                        .inNamespace("e2e")
                        .withName("web")
                        .delete();
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    assertThat(client.apps()
                                    .deployments()
                                    .inNamespace("e2e")
                                    .withName("web")
                                    .get())
                            .isNull();
                    assertThat(client.services()
                                    .inNamespace("e2e")
                                    .withName("web")
                                    .get())
                            .isNull();
                });
            }
        }
    }
}
