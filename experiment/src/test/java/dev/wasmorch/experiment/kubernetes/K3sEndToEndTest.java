package dev.wasmorch.experiment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.backend.DeployException;
import dev.wasmorch.experiment.backend.Readiness;
import dev.wasmorch.experiment.model.Deployment;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.Request;
import dev.wasmorch.experiment.model.Runtime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * End to end on a real K3s in Docker, for users with Docker; skipped (visibly) without a Docker engine
 * and never needed by CI. The backend runs as the ServiceAccount of deploy/rbac.yaml (impersonated),
 * so the real API server also checks that the shipped Role and ClusterRole are enough. A stock K3s
 * has neither the operator nor a WebAssembly shim: the container side runs for real (nginx standing
 * in for a native function, reached through a port-forward), the WASM side shows what a cluster
 * without the operator gives (a clear failure, nothing left behind).
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sEndToEndTest {

    @Container
    private static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.2-k3s1"));

    private static final String NS = "wasmorch-lab";

    @TempDir
    Path dir;

    @Test
    void aContainerFunctionRunsAsTheShippedServiceAccountAndNothingIsLeft() throws Exception {
        Config admin = Config.fromKubeconfig(K3S.getKubeConfigYaml());
        try (KubernetesClient root =
                new KubernetesClientBuilder().withConfig(admin).build()) {
            install(root);
            Config asRunner = new ConfigBuilder(admin)
                    .withImpersonateUsername("system:serviceaccount:" + NS + ":wasmorch-lab")
                    .build();
            KubernetesConfig config = new KubernetesConfig(
                    NS,
                    "docker.io/library/{function}:none",
                    "docker.io/library/{function}:1.27-alpine",
                    "wasmorch",
                    "pod",
                    80,
                    80,
                    KubernetesConfig.Access.PORT_FORWARD,
                    Map.of(),
                    List.of(),
                    Duration.ofSeconds(10),
                    1 << 20,
                    dir.resolve("cluster-pods.json"),
                    "e2e");
            FunctionSpec nginx = new FunctionSpec("nginx", "M", new Request("GET", "/", "", ""), List.of());
            try (Backend backend = new KubernetesBackend(
                    new KubernetesClientBuilder().withConfig(asRunner).build(), config)) {
                backend.prepare(new Backend.Setup(
                        List.of(nginx), dir, new Readiness(Duration.ofMillis(100), Duration.ofMinutes(3), 1), l -> {}));
                Deployment d = backend.deploy(new PodSpec("nginx-ctr-i-1", nginx, Runtime.CONTAINER, "instantiation"));
                assertThat(d.endpoint().host()).isEqualTo("127.0.0.1");
                assertThat(d.timings().created()).isNotNull();
                assertThat(d.timings().sandboxReady()).isNotNull();
                assertThat(d.timings().containerCreated()).isNotNull();
                assertThat(d.timings().started())
                        .isGreaterThanOrEqualTo(d.timings().created());
                assertThat(d.timings().ready())
                        .isGreaterThanOrEqualTo(d.timings().started());
                assertThat(Access.answers(d.endpoint(), "/", 5000)).isTrue();
                assertThatThrownBy(() -> backend.imageSizes(nginx))
                        .isInstanceOf(BackendException.class)
                        .hasMessageContaining("wasm image docker.io/library/nginx:none")
                        .hasMessageContaining("known: [ImageSize[function=nginx, runtime=CONTAINER");
                backend.remove(d.pod());

                backend.prepare(new Backend.Setup(
                        List.of(nginx), dir, new Readiness(Duration.ofMillis(100), Duration.ofSeconds(5), 1), l -> {}));
                assertThatThrownBy(() ->
                                backend.deploy(new PodSpec("nginx-wasm-i-1", nginx, Runtime.WASM, "instantiation")))
                        .isInstanceOf(DeployException.class)
                        .hasMessageContaining("is the operator running?");
                assertThat(backend.removeAll()).isEmpty();
                backend.collect(dir.resolve("lifecycle"));
            }
            assertThat(root.pods().inNamespace(NS).list().getItems()).isEmpty();
            assertThat(root.apps().deployments().inNamespace(NS).list().getItems())
                    .isEmpty();
            assertThat(root.services().inNamespace(NS).list().getItems()).isEmpty();
            assertThat(new ObjectMapper()
                            .readTree(dir.resolve("cluster-pods.json").toFile())
                            .get("items"))
                    .hasSize(1);
        }
    }

    /** The operator's CRD and the runner's RBAC, as a cluster admin applies them. */
    private static void install(KubernetesClient root) throws Exception {
        Path crd = Path.of("..", "operator", "deploy", "crd", "wasmapps.wasmorch.dev-v1.yml");
        try (InputStream in = Files.newInputStream(crd)) {
            root.resource(root.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                    .create();
        }
        root.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("wasmapps.wasmorch.dev")
                .waitUntilCondition(
                        c -> c.getStatus() != null
                                && c.getStatus().getConditions().stream()
                                        .anyMatch(
                                                x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                        60,
                        TimeUnit.SECONDS);
        try (InputStream in = Files.newInputStream(Path.of("deploy", "rbac.yaml"))) {
            for (HasMetadata o : root.load(in).items()) {
                root.resource(o).create();
            }
        }
    }
}
