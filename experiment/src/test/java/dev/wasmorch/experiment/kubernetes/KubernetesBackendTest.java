package dev.wasmorch.experiment.kubernetes;

import static dev.wasmorch.experiment.kubernetes.FakeCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.backend.DeployException;
import dev.wasmorch.experiment.backend.Readiness;
import dev.wasmorch.experiment.kubernetes.FakeCluster.Behaviour;
import dev.wasmorch.experiment.model.Deployment;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.ImageSize;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.Request;
import dev.wasmorch.experiment.model.Runtime;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes backend against fabric8's mock API server in CRUD mode: no cluster can run on the
 * CI machines, so the mock stands in for the API server and {@link FakeCluster} plays the operator,
 * the controllers and the kubelet, driving pod status as they would. The functions answer from a
 * real HTTP server on 127.0.0.1, where the fake points every Service's ClusterIP.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesBackendTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    private HttpServer http;
    private FakeCluster cluster;
    private KubernetesBackend backend;
    private final List<String> progress = new ArrayList<>();

    private static final Map<String, Behaviour> BEHAVIOURS = Map.of(
            "never", Behaviour.NEVER_READY,
            "nostatus", Behaviour.NO_STATUS,
            "crash", Behaviour.CRASH,
            "absurd", Behaviour.ABSURD_TIME,
            "garbage", Behaviour.GARBAGE_TIME,
            "degraded", Behaviour.DEGRADED);

    @BeforeEach
    void start() throws Exception {
        http = FakeCluster.function();
        FakeCluster.namespace(client);
        cluster = new FakeCluster(client, BEHAVIOURS);
        backend = new KubernetesBackend(client, config(List.of()));
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        http.stop(0);
        assertThat(cluster.error()).as("the fake cluster's own failure").isNull();
    }

    private KubernetesConfig config(List<LogSource> logs) {
        return FakeCluster.config(
                http.getAddress().getPort(),
                Map.of("objects", new ServiceUrl("OBJECTS_URL", "http://objects.lab:8080")),
                logs,
                dir.resolve("cluster-pods.json"));
    }

    private static FunctionSpec fn(String name, String... services) {
        return new FunctionSpec(name, "M", new Request("GET", "/", "n=1", ""), List.of(services));
    }

    private void prepare(Duration timeout, FunctionSpec... functions) throws BackendException {
        backend.prepare(new Backend.Setup(
                List.of(functions),
                dir.resolve("lifecycle"),
                new Readiness(Duration.ofMillis(10), timeout, 1),
                progress::add));
    }

    private static PodSpec spec(FunctionSpec f, Runtime r, int rep) {
        return new PodSpec(f.name() + "-" + r.label() + "-i-" + rep, f, r, "instantiation");
    }

    @Test
    void aReadyPodOfEachRuntimeGivesItsTimingsFromTheApiAndAnswersThroughItsService() throws Exception {
        FunctionSpec good = fn("good", "objects");
        prepare(Duration.ofSeconds(20), good);
        for (Runtime r : Runtime.values()) {
            Deployment d = backend.deploy(spec(good, r, 1));
            Instant t = cluster.scheduled(d.pod().name());
            long us = t.getEpochSecond() * 1_000_000L;
            assertThat(d.timings().sandboxReady()).isEqualTo(us + 1_000_000);
            // the only field with microseconds: the Created event's eventTime
            assertThat(d.timings().containerCreated()).isEqualTo(us + 1_500_123);
            assertThat(d.timings().started()).isEqualTo(us + 2_000_000);
            assertThat(d.timings().ready()).isEqualTo(us + 3_000_000);
            // the fake stamps creation in whole seconds, as the API server does, before the kubelet sees the pod
            assertThat(d.timings().created()).isBetween(us - 5_000_000, us);
            assertThat(d.endpoint().host()).isEqualTo("127.0.0.1");
            assertThat(d.endpoint().port()).isEqualTo(http.getAddress().getPort());
            assertThat(d.pod().namespace()).isEqualTo(NS);
            assertThat(d.pod().uid()).isNotEmpty();

            if (r == Runtime.WASM) {
                GenericKubernetesResource app = client.genericKubernetesResources(Manifests.WASM_APPS)
                        .inNamespace(NS)
                        .withName("good")
                        .get();
                @SuppressWarnings("unchecked")
                Map<String, Object> s =
                        (Map<String, Object>) app.getAdditionalProperties().get("spec");
                assertThat(s)
                        .containsEntry("ociImage", "docker.io/wasmorch/good")
                        .containsEntry("ociImageTag", "wasm")
                        .containsEntry("runtimeClass", "spin")
                        .containsEntry("networkMode", "pod")
                        .containsEntry("replicas", 1)
                        .containsEntry(
                                "env", List.of(Map.of("name", "OBJECTS_URL", "value", "http://objects.lab:8080")));
                assertThat(app.getMetadata().getLabels())
                        .containsEntry(Manifests.RUN, "run-1")
                        .containsEntry(Manifests.TRIAL, "good-wasm-i-1");
            } else {
                var dep = client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("good-ctr")
                        .get();
                var template = dep.getSpec().getTemplate();
                assertThat(template.getMetadata().getLabels())
                        .containsEntry(PodLabels.FUNCTION, "good")
                        .containsEntry(PodLabels.SCENARIO, "instantiation")
                        .containsEntry(Manifests.RUN, "run-1");
                assertThat(template.getMetadata().getAnnotations()).containsEntry(PodLabels.RUNTIME, "container");
                var c = template.getSpec().getContainers().get(0);
                assertThat(c.getImage()).isEqualTo("docker.io/wasmorch/good:native");
                assertThat(c.getEnv()).extracting("name").containsExactly("OBJECTS_URL", "PORT");
            }
            backend.remove(d.pod());
            assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
            // removing a removed pod is no error
            backend.remove(d.pod());
        }
    }

    @Test
    void aPodThatNeverBecomesReadyFailsAtTheTimeoutWithWhatItReached() throws Exception {
        FunctionSpec never = fn("never");
        prepare(Duration.ofSeconds(6), never);
        assertThatThrownBy(() -> backend.deploy(spec(never, Runtime.CONTAINER, 1)))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.getMessage()).contains("not ready within 6 s").contains("not Ready");
                    assertThat(e.pod().uid()).isNotEmpty();
                    assertThat(e.reached().started()).isNotNull();
                    assertThat(e.reached().sandboxReady()).isNotNull();
                    assertThat(e.reached().ready()).isNull();
                });
        assertThat(backend.removeAll()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void aPodWithoutStatusFailsAtTheTimeoutSayingSo() throws Exception {
        FunctionSpec f = fn("nostatus");
        prepare(Duration.ofSeconds(8), f);
        assertThatThrownBy(() -> backend.deploy(spec(f, Runtime.WASM, 1)))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.getMessage()).contains("no status yet");
                    assertThat(e.reached().started()).isNull();
                });
    }

    @Test
    void aCrashedContainerFailsAtOnceAndItsMessageCannotWriteToTheConsole() throws Exception {
        FunctionSpec f = fn("crash");
        prepare(Duration.ofSeconds(30), f);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> backend.deploy(spec(f, Runtime.CONTAINER, 1)))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.getMessage())
                            .contains("terminated with exit code 1 (Error)")
                            .contains("?[31mboom?lab: run complete")
                            .doesNotContain("\u001b")
                            .doesNotContain("\n");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void absurdOrMalformedTimesAreErrorsNamingTheField() throws Exception {
        FunctionSpec absurd = fn("absurd");
        FunctionSpec garbage = fn("garbage");
        prepare(Duration.ofSeconds(30), absurd, garbage);
        assertThatThrownBy(() -> backend.deploy(spec(absurd, Runtime.CONTAINER, 1)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("status.conditions[Ready].lastTransitionTime 1970-01-01T00:00:00Z lies outside");
        assertThatThrownBy(() -> backend.deploy(spec(garbage, Runtime.WASM, 1)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining(
                        "status.containerStatuses[garbage].state.running.startedAt 'yesterday' is not an RFC 3339 time");
        assertThat(backend.removeAll()).isEmpty();
        assertNothingLeft();
    }

    @Test
    void anAppTheOperatorRefusesFailsWithTheOperatorsReason() throws Exception {
        FunctionSpec f = fn("degraded");
        prepare(Duration.ofSeconds(60), f);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> backend.deploy(spec(f, Runtime.WASM, 1)))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.getMessage())
                            .contains("no pod yet (WasmApp Degraded: RuntimeClassNotFound: spec.runtimeClass:")
                            .doesNotContain("\u001b");
                    // no pod was made: the trial's name stands for it, so it is recorded and removed
                    assertThat(e.pod().name()).isEqualTo("degraded-wasm-i-1");
                    assertThat(e.pod().uid()).isEmpty();
                });
        // a reason no wait mends fails at once, not at the timeout
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
        backend.remove(new dev.wasmorch.experiment.model.PodRef(NS, "degraded-wasm-i-1", ""));
        assertNothingLeft();
    }

    @Test
    void removeAllLeavesNoObjectOfTheRunAndSweepsWhatACreateInFlightLeft() throws Exception {
        FunctionSpec good = fn("good");
        FunctionSpec other = fn("other");
        prepare(Duration.ofSeconds(20), good, other);
        backend.deploy(spec(good, Runtime.WASM, 1));
        backend.deploy(spec(good, Runtime.CONTAINER, 1));
        backend.deploy(spec(other, Runtime.WASM, 1));
        // an object the run made whose create call had not returned: only its label says it is ours
        client.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("stray")
                        .withNamespace(NS)
                        .withLabels(Map.of(Manifests.RUN, "run-1"))
                        .endMetadata()
                        .build())
                .create();
        assertThat(backend.removeAll()).isEmpty();
        assertNothingLeft();
        // after removeAll the backend makes nothing more
        assertThatThrownBy(() -> backend.deploy(spec(good, Runtime.WASM, 2)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("stopped");
        assertNothingLeft();
    }

    @Test
    void anObjectOfTheSameNameThatIsNotTheRunsIsRefusedAndLeftAlone() throws Exception {
        FunctionSpec good = fn("good");
        prepare(Duration.ofSeconds(5), good);
        client.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("good-ctr")
                        .withNamespace(NS)
                        .endMetadata()
                        .build())
                .create();
        assertThatThrownBy(() -> backend.deploy(spec(good, Runtime.CONTAINER, 1)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("Service lab/good-ctr exists and is not this run's")
                .satisfies(e -> assertThat(((DeployException) e).pod())
                        .as("nothing was made")
                        .isNull());
        backend.remove(new dev.wasmorch.experiment.model.PodRef(NS, "good-ctr-i-1", ""));
        assertThat(backend.removeAll()).isEmpty();
        assertThat(client.services().inNamespace(NS).withName("good-ctr").get()).isNotNull();
    }

    @Test
    void theSnapshotHoldsEveryPodAsTheApiShowedItAsAPodListFailedOnesToo() throws Exception {
        FunctionSpec good = fn("good");
        FunctionSpec never = fn("never");
        prepare(Duration.ofSeconds(20), good, never);
        Deployment w = backend.deploy(spec(good, Runtime.WASM, 1));
        Deployment c = backend.deploy(spec(good, Runtime.CONTAINER, 1));
        backend.remove(w.pod());
        backend.remove(c.pod());
        prepare(Duration.ofSeconds(5), good, never);
        String failedUid;
        try {
            backend.deploy(spec(never, Runtime.CONTAINER, 1));
            throw new AssertionError("deployed");
        } catch (DeployException e) {
            failedUid = e.pod().uid();
        }
        assertThat(backend.removeAll()).isEmpty();
        backend.collect(dir.resolve("lifecycle"));
        JsonNode list =
                new ObjectMapper().readTree(dir.resolve("cluster-pods.json").toFile());
        assertThat(list.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(list.get("kind").asText()).isEqualTo("List");
        JsonNode items = list.get("items");
        assertThat(items).extracting(i -> i.get("kind").asText()).containsOnly("Pod");
        assertThat(items)
                .extracting(i -> i.at("/metadata/uid").asText())
                .containsExactly(w.pod().uid(), c.pod().uid(), failedUid);
        assertThat(items)
                .extracting(i -> i.at("/metadata/labels/wasmorch.dev~1function").asText())
                .containsExactly("good", "good", "never");
        // the pods' own runtime annotation: the operator's for WASM, ours for the container
        assertThat(items)
                .extracting(
                        i -> i.at("/metadata/annotations/wasmorch.dev~1runtime").asText())
                .containsExactly("wasm", "container", "container");
        assertThat(items).allSatisfy(i -> {
            assertThat(i.at("/metadata/managedFields").isMissingNode()).isTrue();
            assertThat(i.at("/status/conditions").size()).isGreaterThan(0);
        });
    }

    @Test
    void imageSizesComeFromTheNodesStatusOrAreUnknown() throws Exception {
        client.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("node-1")
                        .endMetadata()
                        .withNewStatus()
                        .addToImages(new ContainerImageBuilder()
                                .withNames("docker.io/wasmorch/good:wasm", "docker.io/wasmorch/good@sha256:ab")
                                .withSizeBytes(25_600L)
                                .build())
                        .addToImages(new ContainerImageBuilder()
                                .withNames("docker.io/wasmorch/good:native")
                                .withSizeBytes(3_873_280L)
                                .build())
                        .addToImages(new ContainerImageBuilder()
                                .withNames("docker.io/wasmorch/bad:wasm")
                                .withSizeBytes(-5L)
                                .build())
                        .endStatus()
                        .build())
                .create();
        assertThat(backend.imageSizes(fn("good")))
                .containsExactly(
                        new ImageSize("good", Runtime.WASM, "docker.io/wasmorch/good:wasm", 25_600),
                        new ImageSize("good", Runtime.CONTAINER, "docker.io/wasmorch/good:native", 3_873_280));
        assertThatThrownBy(() -> backend.imageSizes(fn("bad")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("no node reports wasm image docker.io/wasmorch/bad:wasm, container image")
                .hasMessageContaining("the registry is not asked");
    }

    @Test
    void prepareRefusesAMissingNamespaceOrServiceUrlAndRecordsTheCluster() throws Exception {
        assertThatThrownBy(() -> prepare(Duration.ofSeconds(1), fn("db-user", "db")))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("no URL for the backing service(s) db (for db-user)");
        prepare(Duration.ofSeconds(1), fn("good", "objects"));
        assertThat(backend.facts())
                .containsEntry("kubernetes.namespace", NS)
                .containsEntry("kubernetes.runtime_class", "spin")
                .containsKey("kubernetes.server");
        client.namespaces().withName(NS).delete();
        KubernetesBackend other = new KubernetesBackend(client, config(List.of()));
        assertThatThrownBy(() -> other.prepare(new Backend.Setup(List.of(), dir, Readiness.defaults(), progress::add)))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("namespace lab does not exist");
    }

    @Test
    void anApiServerThatIsNotThereIsNamedWithWhyTheRequestFailed() throws Exception {
        // a port on 127.0.0.1 that nothing listens on: the socket is closed before the backend asks
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        var nowhere = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + closed)
                .withRequestTimeout(5000)
                .withConnectionTimeout(5000)
                .withRequestRetryBackoffLimit(0)
                .build();
        try (KubernetesClient none = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(nowhere)
                .build()) {
            KubernetesBackend other = new KubernetesBackend(none, config(List.of()));
            assertThatThrownBy(
                            () -> other.prepare(new Backend.Setup(List.of(), dir, Readiness.defaults(), progress::add)))
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining("cannot reach the API server http://127.0.0.1:" + closed)
                    .hasMessageContaining("Connection refused");
            // nothing was made, so the end of the run has nothing to sweep and asks nothing
            assertThat(other.removeAll()).isEmpty();
        }
    }

    @Test
    void collectGathersTheNodeLogsIntoTheLifecycleFolder() throws Exception {
        Path journal = Files.writeString(dir.resolve("k3s.journal"), "{\"MESSAGE\":\"x\"}\n");
        backend = new KubernetesBackend(
                client,
                config(List.of(
                        LogSource.parse("node1=file:" + journal), LogSource.parse("node2=cmd:echo since {since}"))));
        prepare(Duration.ofSeconds(1));
        Path lifecycle = dir.resolve("lifecycle");
        backend.collect(lifecycle);
        assertThat(Files.readString(lifecycle.resolve("node1.log"))).isEqualTo("{\"MESSAGE\":\"x\"}\n");
        assertThat(Files.readString(lifecycle.resolve("node2.log"))).matches("since @\\d{10}\n");
        assertThat(dir.resolve("cluster-pods.json")).exists();
    }

    private void assertNothingLeft() {
        assertThat(client.genericKubernetesResources(Manifests.WASM_APPS)
                        .inNamespace(NS)
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(client.apps().deployments().inNamespace(NS).list().getItems())
                .isEmpty();
        assertThat(client.services().inNamespace(NS).list().getItems()).isEmpty();
        assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
    }
}
