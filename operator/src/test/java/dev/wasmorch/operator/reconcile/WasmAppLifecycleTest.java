package dev.wasmorch.operator.reconcile;

import static dev.wasmorch.operator.reconcile.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Create, update, drift repair, pod mode, invalid specs, a missing RuntimeClass and a refused write, against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class WasmAppLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    KubernetesClient client;
    KubernetesMockServer server;
    private OperatorHarness harness;

    @BeforeEach
    void start() {
        harness = new OperatorHarness(client, "redis://127.0.0.1:6379/1");
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        OperatorRbac.assertOperatorRequestsAllowed(server);
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private Service service(String name) {
        return client.services().inNamespace(NS).withName(name).get();
    }

    private Ingress ingress(String name) {
        return client.network().v1().ingresses().inNamespace(NS).withName(name).get();
    }

    private static void assertOwnedBy(HasMetadata child, WasmApp app) {
        assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference ref) -> {
            assertThat(ref.getKind()).isEqualTo("WasmApp");
            assertThat(ref.getApiVersion()).isEqualTo("wasmorch.dev/v1alpha1");
            assertThat(ref.getName()).isEqualTo(app.getMetadata().getName());
            assertThat(ref.getUid()).isEqualTo(app.getMetadata().getUid());
            assertThat(ref.getController()).isTrue();
        });
    }

    @Test
    void createsOwnedDeploymentAndSelectorlessServiceInHostMode() {
        WasmApp app = harness.create(OperatorHarness.app("hello", NetworkMode.HOST));

        Deployment deployment = await().atMost(WAIT).until(() -> deployment("hello"), Objects::nonNull);
        var pod = deployment.getSpec().getTemplate();
        assertThat(pod.getSpec().getRuntimeClassName()).isEqualTo("spin");
        assertThat(pod.getSpec().getHostNetwork()).isTrue();
        assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(pod.getMetadata().getLabels())
                .containsAllEntriesOf(Map.of(
                        "app.kubernetes.io/name", "hello",
                        "app.kubernetes.io/managed-by", "wasmorch-operator",
                        "wasmorch.dev/function", "hello"));
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("wasmorch.dev/runtime", "wasm");
        assertThat(pod.getSpec().getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("hello");
            assertThat(c.getImage()).isEqualTo("ghcr.io/wasmorch/hello:1.0");
            assertThat(c.getPorts()).isEmpty();
        });
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertOwnedBy(deployment, app);

        Service service = await().atMost(WAIT).until(() -> service("hello"), Objects::nonNull);
        assertThat(service.getSpec().getSelector()).isNullOrEmpty();
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(80);
        });
        assertOwnedBy(service, app);
        assertThat(ingress("hello")).isNull();

        harness.awaitCondition("hello", "Progressing", c -> "True".equals(c.getStatus()));
        WasmApp observed = harness.get("hello");
        assertThat(observed.getStatus().getObservedGeneration())
                .isEqualTo(observed.getMetadata().getGeneration());
        assertThat(observed.getStatus().getReadyReplicas()).isZero();
        assertThat(observed.getStatus().getUrl()).isEqualTo("http://hello.functions.svc:80");
        assertThat(harness.condition("hello", "Degraded"))
                .get()
                .extracting("status")
                .isEqualTo("False");
        assertThat(harness.condition("hello", "Ready"))
                .get()
                .extracting("status")
                .isEqualTo("False");
        // One event for the whole reconciliation, not one API write per child.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(harness.events("hello"))
                        .filteredOn(e -> "Created".equals(e.getReason()))
                        .singleElement()
                        .extracting(Event::getMessage)
                        .isEqualTo("Created Deployment hello; Created Service hello"));
    }

    @Test
    void readyOnceTheDeploymentReportsItsPodsInPodMode() {
        WasmApp app = OperatorHarness.app("web", NetworkMode.POD);
        app.getSpec().setPort(8080);
        harness.create(app);

        Deployment deployment = await().atMost(WAIT).until(() -> deployment("web"), Objects::nonNull);
        var container =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertThat(deployment.getSpec().getTemplate().getSpec().getHostNetwork())
                .isNull();
        Service service = await().atMost(WAIT).until(() -> service("web"), Objects::nonNull);
        assertThat(service.getSpec().getSelector()).containsEntry("wasmorch.dev/function", "web");
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal())
                .isEqualTo("http");

        // No controller runs in the mock: report a ready pod and a ready Deployment as kubelet and the controller
        // would.
        harness.runningPod(harness.get("web"), "web-1", "10.42.0.7", true);
        client.apps().deployments().inNamespace(NS).withName("web").editStatus(d -> {
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                    .withReplicas(1)
                    .withReadyReplicas(1)
                    .build());
            return d;
        });

        harness.awaitCondition("web", "Ready", c -> "True".equals(c.getStatus()));
        WasmApp observed = harness.get("web");
        assertThat(observed.getStatus().getReadyReplicas()).isEqualTo(1);
        assertThat(observed.getStatus().getEndpoints()).containsExactly("10.42.0.7:8080");
        assertThat(harness.condition("web", "Progressing"))
                .get()
                .extracting("reason")
                .isEqualTo("RolloutComplete");
    }

    @Test
    void specChangesPropagateToEveryChild() {
        harness.create(OperatorHarness.app("hello", NetworkMode.HOST));
        await().atMost(WAIT).until(() -> deployment("hello"), Objects::nonNull);

        harness.editSpec("hello", spec -> {
            spec.setOciImageTag("2.0");
            spec.setReplicas(3);
            spec.setNodeSelector(Map.of("wasm", "yes"));
            spec.setIngressEnabled(true);
            spec.setIngressHost("hello.example.org");
            spec.setIngressTlsEnabled(true);
        });

        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = deployment("hello");
            assertThat(d.getSpec().getReplicas()).isEqualTo(3);
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("ghcr.io/wasmorch/hello:2.0");
            assertThat(d.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("wasm", "yes");
        });
        Ingress ingress = await().atMost(WAIT).until(() -> ingress("hello"), Objects::nonNull);
        assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("hello.example.org");
        assertThat(ingress.getSpec()
                        .getRules()
                        .get(0)
                        .getHttp()
                        .getPaths()
                        .get(0)
                        .getBackend()
                        .getService()
                        .getName())
                .isEqualTo("hello");
        assertThat(ingress.getSpec().getTls())
                .singleElement()
                .satisfies(t -> assertThat(t.getSecretName()).isEqualTo("hello-tls"));
        assertOwnedBy(ingress, harness.get("hello"));
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(harness.get("hello").getStatus().getUrl()).isEqualTo("https://hello.example.org/"));

        // Removing a field must remove it from the child too, not only change it.
        harness.editSpec("hello", spec -> {
            spec.setNodeSelector(Map.of());
            spec.setIngressEnabled(false);
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(deployment("hello").getSpec().getTemplate().getSpec().getNodeSelector())
                    .isNullOrEmpty();
            assertThat(ingress("hello")).isNull();
        });
        harness.awaitEventReasons("hello", "Updated", "Deleted");
    }

    @Test
    void repairsEditedAndDeletedChildren() {
        harness.create(OperatorHarness.app("hello", NetworkMode.HOST));
        await().atMost(WAIT).until(() -> deployment("hello"), Objects::nonNull);
        await().atMost(WAIT).until(() -> service("hello"), Objects::nonNull);

        OperatorHarness.retryOnConflict(() -> client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("hello")
                .edit(d -> {
                    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil/miner:latest");
                    d.getSpec().getTemplate().getSpec().setRuntimeClassName(null);
                    return d;
                }));
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = deployment("hello");
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("ghcr.io/wasmorch/hello:1.0");
            assertThat(d.getSpec().getTemplate().getSpec().getRuntimeClassName())
                    .isEqualTo("spin");
        });

        client.services().inNamespace(NS).withName("hello").delete();
        await().atMost(WAIT).until(() -> service("hello"), Objects::nonNull);
        harness.awaitEventReasons("hello", "DriftRepaired");
    }

    @Test
    void invalidSpecIsReportedAndNothingIsCreated() {
        WasmApp bad = OperatorHarness.app("broken", NetworkMode.HOST);
        bad.getSpec().setPort(70000);
        bad.getSpec().setOciImage("");
        bad.getSpec().setReplicas(WasmAppSpec.MAX_REPLICAS + 1);
        harness.create(bad);

        var degraded = harness.awaitCondition("broken", "Degraded", c -> "True".equals(c.getStatus()));
        assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
        assertThat(degraded.getMessage())
                .contains("spec.ociImage: required")
                .contains("spec.replicas: at most 1000 allowed (operator flag --max-replicas), got 1001")
                .contains("spec.port: must be between 1 and 65535, got 70000");
        assertThat(harness.condition("broken", "Ready"))
                .get()
                .extracting("status")
                .isEqualTo("False");
        assertThat(deployment("broken")).isNull();

        // The operator keeps serving other apps, and the fixed spec is picked up.
        harness.create(OperatorHarness.app("fine", NetworkMode.HOST));
        await().atMost(WAIT).until(() -> deployment("fine"), Objects::nonNull);
        harness.editSpec("broken", spec -> {
            spec.setPort(8080);
            spec.setReplicas(1);
            spec.setOciImage("ghcr.io/wasmorch/hello");
        });
        harness.awaitCondition("broken", "Degraded", c -> "False".equals(c.getStatus()));
        assertThat(deployment("broken")).isNotNull();
        harness.awaitEventReasons("broken", "InvalidSpec", "Recovered");
    }

    /**
     * The pods would carry wasmorch.dev/runtime: wasm, which the analyzer believes first, so a
     * container handler must be refused. (The mock server stands in for the API server.)
     */
    @Test
    void aRuntimeClassWithAContainerHandlerIsRefused() {
        client.resource(new RuntimeClassBuilder()
                        .withNewMetadata()
                        .withName("runc")
                        .endMetadata()
                        .withHandler("runc")
                        .build())
                .create();
        WasmApp app = OperatorHarness.app("boxed", NetworkMode.POD);
        app.getSpec().setRuntimeClass("runc");
        harness.create(app);

        var degraded = harness.awaitCondition("boxed", "Degraded", c -> "True".equals(c.getStatus()));
        assertThat(degraded.getReason()).isEqualTo("RuntimeClassNotWasm");
        assertThat(degraded.getMessage())
                .startsWith("spec.runtimeClass: RuntimeClass \"runc\" has handler \"runc\", which is not a"
                        + " WebAssembly handler (lunatic, slight, spin, wasmedge, wasmer, wasmorch, wasmtime, wws;"
                        + " operator flag --wasm-handlers)");
        assertThat(deployment("boxed")).isNull();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(harness.events("boxed"))
                        .extracting(Event::getReason)
                        .contains("RuntimeClassNotWasm"));

        harness.editSpec("boxed", spec -> spec.setRuntimeClass("spin"));
        Deployment fixed = await().atMost(WAIT).until(() -> deployment("boxed"), Objects::nonNull);
        assertThat(fixed.getSpec().getTemplate().getSpec().getRuntimeClassName())
                .isEqualTo("spin");
        assertThat(fixed.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(Labels.RUNTIME_ANNOTATION, "wasm");
    }

    @Test
    void anImagePinnedByDigestNeedsNoTag() {
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        WasmApp app = OperatorHarness.app("pinned", NetworkMode.POD);
        app.getSpec().setOciImage("ghcr.io/wasmorch/hello@" + digest);
        app.getSpec().setOciImageTag(null);
        harness.create(app);

        Deployment deployment = await().atMost(WAIT).until(() -> deployment("pinned"), Objects::nonNull);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
                .singleElement()
                .satisfies(c -> assertThat(c.getImage()).isEqualTo("ghcr.io/wasmorch/hello@" + digest));
        assertThat(harness.condition("pinned", "Degraded"))
                .get()
                .extracting("status")
                .isEqualTo("False");
    }

    @Test
    void missingRuntimeClassDegradesUntilItIsCreated() {
        WasmApp app = OperatorHarness.app("slow", NetworkMode.HOST);
        app.getSpec().setRuntimeClass("wasmtime");
        harness.create(app);

        var degraded = harness.awaitCondition("slow", "Degraded", c -> "True".equals(c.getStatus()));
        assertThat(degraded.getReason()).isEqualTo("RuntimeClassNotFound");
        assertThat(degraded.getMessage()).contains("RuntimeClass \"wasmtime\"");
        assertThat(deployment("slow")).isNull();

        client.resource(new RuntimeClassBuilder()
                        .withNewMetadata()
                        .withName("wasmtime")
                        .endMetadata()
                        .withHandler("wasmtime")
                        .build())
                .create();
        harness.awaitCondition("slow", "Degraded", c -> "False".equals(c.getStatus()));
        assertThat(deployment("slow").getSpec().getTemplate().getSpec().getRuntimeClassName())
                .isEqualTo("wasmtime");
    }

    @Test
    void refusedChildWriteDegradesThenRecovers() {
        // A Service of the same name that someone else made: the operator does not watch it (no
        // managed-by label), so its create is refused by the API server with 409 AlreadyExists.
        client.resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                        .withNewMetadata()
                        .withName("taken")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .addNewPort()
                        .withPort(9999)
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        harness.create(OperatorHarness.app("taken", NetworkMode.HOST));

        // The status, written together with the children, must not stay Progressing: the failure wins.
        var degraded = harness.awaitCondition("taken", "Degraded", c -> "True".equals(c.getStatus()));
        assertThat(degraded.getReason()).isEqualTo("ReconcileError");
        assertThat(degraded.getMessage()).contains("taken");
        assertThat(harness.condition("taken", "Ready"))
                .get()
                .extracting("status")
                .isEqualTo("False");
        // The Deployment, written at the same time, was not held back by the refused Service.
        assertThat(deployment("taken")).isNotNull();
        // Retries (100-800 ms apart here) keep failing: the status stays Degraded and no retry
        // announces a recovery it then takes back.
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).untilAsserted(() -> {
            List<Event> events = harness.events("taken");
            // On failure, the app version each event was posted for shows which reconciliations posted them.
            assertThat(events)
                    .as(() -> events.stream()
                            .map(e -> e.getReason() + " at " + e.getFirstTimestamp() + " for version "
                                    + e.getInvolvedObject().getResourceVersion())
                            .toList()
                            .toString())
                    .extracting(Event::getReason)
                    .containsOnlyOnce("ReconcileError")
                    .doesNotContain("Recovered");
            assertThat(harness.condition("taken", "Degraded"))
                    .get()
                    .extracting("status")
                    .isEqualTo("True");
        });

        client.services().inNamespace(NS).withName("taken").delete();
        harness.awaitCondition("taken", "Degraded", c -> "False".equals(c.getStatus()));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                service("taken").getSpec().getPorts().get(0).getPort())
                        .isEqualTo(80));
        harness.awaitEventReasons("taken", "ReconcileError", "Recovered");
    }
}
