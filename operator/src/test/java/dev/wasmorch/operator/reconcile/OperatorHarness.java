package dev.wasmorch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.ports.RedisSettings;
import dev.wasmorch.operator.reconcile.validate.SpecPolicy;
import dev.wasmorch.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs the real operator against a fabric8 mock API server in CRUD mode, which stands in for a
 * cluster here: it stores and watches objects but runs no controllers (no pods from Deployments, no
 * garbage collection), so tests create pods themselves and check owner references, not cascades.
 */
public final class OperatorHarness implements AutoCloseable {
    public static final String NS = "functions";
    /** The CRD generated at build time; CrdManifestTest proves deploy/crd holds the same. */
    static final String CRD = "/META-INF/fabric8/wasmapps.wasmorch.dev-v1.yml";
    /** Concurrent reconciliations in tests and, unless told otherwise, in ReconcileBench. */
    static final int THREADS = 4;

    /** The User-Agent of the operator's own client: tests tell its API requests from theirs by it. */
    static final String OPERATOR_AGENT = "wasmorch-operator-under-test";

    final KubernetesClient client;
    private final KubernetesClient operatorClient;
    private final OperatorRuntime runtime;

    OperatorHarness(KubernetesClient client, String redisUrl) {
        this(client, redisUrl, Metrics.NOOP, THREADS);
    }

    OperatorHarness(KubernetesClient client, String redisUrl, Metrics metrics, int threads) {
        this(client, redisUrl, metrics, threads, "test-operator", null);
    }

    /** An operator instance named {@code instance}, reconciling only while it holds the lease if {@code election} is set. */
    OperatorHarness(
            KubernetesClient client,
            String redisUrl,
            Metrics metrics,
            int threads,
            String instance,
            OperatorRuntime.LeaderElection election) {
        this.client = client;
        // The CRD makes the mock server treat /status as a subresource, as a real API server does.
        // createOr: on a loaded machine the client may retry a POST whose first attempt did succeed.
        client.resource(client.getKubernetesSerialization()
                        .unmarshal(OperatorHarness.class.getResourceAsStream(CRD), CustomResourceDefinition.class))
                .createOr(NonDeletingOperation::update);
        client.resource(new RuntimeClassBuilder()
                        .withNewMetadata()
                        .withName("spin")
                        .endMetadata()
                        .withHandler("spin")
                        .build())
                .createOr(NonDeletingOperation::update);
        this.operatorClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withUserAgent(OPERATOR_AGENT)
                        .build())
                .build();
        this.runtime = OperatorRuntime.start(
                operatorClient,
                new OperatorRuntime.Settings(
                        Set.of(),
                        RedisSettings.parse(redisUrl, null, Duration.ofMillis(500), "test"),
                        Duration.ofSeconds(30),
                        Duration.ofMillis(100),
                        Duration.ofMillis(800),
                        threads,
                        instance,
                        election,
                        SpecPolicy.DEFAULTS),
                metrics);
    }

    public static WasmApp app(String name, NetworkMode mode) {
        WasmApp app = new WasmApp();
        app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        WasmAppSpec spec = new WasmAppSpec();
        spec.setOciImage("ghcr.io/wasmorch/hello");
        spec.setOciImageTag("1.0");
        spec.setNetworkMode(mode);
        app.setSpec(spec);
        return app;
    }

    WasmApp create(WasmApp app) {
        return client.resource(app).create();
    }

    /** Changes a spec like a user would: read, change, write. */
    WasmApp editSpec(String name, java.util.function.Consumer<WasmAppSpec> change) {
        return retryOnConflict(() -> client.resources(WasmApp.class)
                .inNamespace(NS)
                .withName(name)
                .edit(app -> {
                    change.accept(app.getSpec());
                    return app;
                }));
    }

    /** Writes again when the operator wrote the same object in between, as kubectl edit users do. */
    static <T> T retryOnConflict(java.util.function.Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    WasmApp get(String name) {
        return client.resources(WasmApp.class).inNamespace(NS).withName(name).get();
    }

    /** Waits until the app's condition of that type matches. */
    Condition awaitCondition(String name, String type, Predicate<Condition> matches) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> condition(name, type).filter(matches), Optional::isPresent)
                .get();
    }

    Optional<Condition> condition(String name, String type) {
        WasmApp app = get(name);
        if (app == null || app.getStatus() == null) {
            return Optional.empty();
        }
        return app.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    List<Event> events(String name) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    /**
     * Waits until the app's events include these reasons. The recorder posts events from its own
     * thread after the change they report, so a test that saw the change may not see the event yet.
     */
    void awaitEventReasons(String name, String... reasons) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(events(name)).extracting(Event::getReason).contains(reasons));
    }

    /** A pod as the Deployment's ReplicaSet would create it, already running on a node. */
    Pod runningPod(WasmApp app, String podName, String hostIp, boolean ready) {
        String function = app.getMetadata().getName();
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(podName)
                .withNamespace(NS)
                .withLabels(Labels.of(app))
                .endMetadata()
                .withNewSpec()
                .withNodeName("agent-1")
                .withHostNetwork(true)
                .addNewContainer()
                .withName(function)
                .withImage("ghcr.io/wasmorch/hello:1.0")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withHostIP(hostIp)
                .withPodIP(hostIp)
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .addNewContainerStatus()
                .withName(function)
                .withContainerID("containerd://cid-" + podName)
                .withReady(ready)
                .withNewState()
                .withNewRunning()
                .withStartedAt("2026-11-26T21:24:09Z")
                .endRunning()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
        Pod created = client.resource(pod).create();
        if (created.getStatus() == null
                || created.getStatus().getContainerStatuses() == null
                || created.getStatus().getContainerStatuses().isEmpty()) {
            pod.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
            return client.resource(pod).updateStatus();
        }
        return created;
    }

    /** Completes when this instance lost the lease it held and stopped. */
    java.util.concurrent.CompletableFuture<Void> leadershipLost() {
        return runtime.leadershipLost();
    }

    @Override
    public void close() throws InterruptedException {
        runtime.close();
        operatorClient.close();
    }
}
