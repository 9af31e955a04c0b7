package dev.wasmorch.operator.reconcile;

import static dev.wasmorch.operator.reconcile.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.reconcile.observe.HostEndpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Host-network mode with the real Redis (DB 1, the operator's index on the shared server): ports
 * the shim would register become one EndpointSlice per pod, and vanish with their pods.
 */
@EnableKubernetesMockClient(crud = true)
class HostEndpointsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    KubernetesClient client;
    KubernetesMockServer server;
    private OperatorHarness harness;
    private Jedis redis;

    @BeforeEach
    void start() {
        redis = new Jedis("127.0.0.1", 6379);
        redis.select(1);
        redis.flushDB();
        harness = new OperatorHarness(client, "redis://127.0.0.1:6379/1");
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        redis.flushDB();
        redis.close();
        OperatorRbac.assertOperatorRequestsAllowed(server);
    }

    static String registration(int port, String pod, String hostIp) {
        return "{\"port\":" + port + ",\"containerId\":\"cid-" + pod + "\",\"namespace\":\"" + NS + "\",\"pod\":\""
                + pod + "\",\"container\":\"hello\",\"node\":\"agent-1\",\"hostIp\":\"" + hostIp
                + "\",\"updated\":\"2026-11-26T21:24:09.123456Z\"}";
    }

    private List<EndpointSlice> slices() {
        return client.discovery()
                .v1()
                .endpointSlices()
                .inNamespace(NS)
                .withLabel(Labels.SERVICE_NAME, "hello")
                .list()
                .getItems();
    }

    @Test
    void publishesOneEndpointSlicePerPodFromTheRegisteredPorts() {
        harness.create(OperatorHarness.app("hello", NetworkMode.HOST));
        WasmApp app = harness.editSpec("hello", spec -> spec.setReplicas(2));
        redis.set("wasmorch:port:pod:" + NS + "/hello-a/hello", registration(41873, "hello-a", "10.0.0.12"));
        // A task the shim could not attribute to a pod is registered by container ID only.
        redis.set("wasmorch:port:cid:cid-hello-b", registration(39001, "hello-b", "10.0.0.13"));
        harness.runningPod(app, "hello-a", "10.0.0.12", true);
        harness.runningPod(app, "hello-b", "10.0.0.13", true);

        await().atMost(WAIT).untilAsserted(() -> assertThat(slices()).hasSize(2));
        EndpointSlice a = client.discovery()
                .v1()
                .endpointSlices()
                .inNamespace(NS)
                .withName("wasmorch-hello-a")
                .get();
        assertThat(a.getAddressType()).isEqualTo("IPv4");
        assertThat(a.getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getAddresses()).containsExactly("10.0.0.12");
            assertThat(e.getConditions().getReady()).isTrue();
            assertThat(e.getTargetRef().getName()).isEqualTo("hello-a");
            assertThat(e.getNodeName()).isEqualTo("agent-1");
        });
        assertThat(a.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(41873);
        });
        assertThat(a.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "hello");
        assertThat(a.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getUid())
                        .isEqualTo(harness.get("hello").getMetadata().getUid()));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(harness.get("hello").getStatus().getEndpoints())
                        .containsExactly("10.0.0.12:41873", "10.0.0.13:39001"));
        harness.awaitEventReasons("hello", "EndpointPublished");

        // A pod that goes away takes its endpoint with it.
        client.pods().inNamespace(NS).withName("hello-b").delete();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(slices())
                        .extracting(s -> s.getMetadata().getName())
                        .containsExactly("wasmorch-hello-a"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(harness.get("hello").getStatus().getEndpoints())
                        .containsExactly("10.0.0.12:41873"));
        harness.awaitEventReasons("hello", "EndpointRemoved");
    }

    @Test
    void aPortThatAppearsLateIsPickedUpByTheRetry() {
        WasmApp app = harness.create(OperatorHarness.app("hello", NetworkMode.HOST));
        harness.runningPod(app, "hello-a", "10.0.0.12", true);

        var degraded = harness.awaitCondition("hello", "Degraded", c -> "True".equals(c.getStatus()));
        assertThat(degraded.getReason()).isEqualTo("PortNotRegistered");
        assertThat(degraded.getMessage()).contains("wasmorch:port:pod:functions/hello-a/hello");
        assertThat(slices()).isEmpty();

        // No Kubernetes event follows the shim's write: only the backoff retry can notice it.
        redis.set("wasmorch:port:pod:" + NS + "/hello-a/hello", registration(40000, "hello-a", "10.0.0.12"));
        harness.awaitCondition("hello", "Degraded", c -> "False".equals(c.getStatus()));
        assertThat(slices())
                .singleElement()
                .satisfies(s -> assertThat(s.getPorts().get(0).getPort()).isEqualTo(40000));
    }

    @Test
    void aMalformedRegistrationIsReportedWithItsKey() {
        WasmApp app = harness.create(OperatorHarness.app("hello", NetworkMode.HOST));
        redis.set("wasmorch:port:pod:" + NS + "/hello-a/hello", "{\"port\":99999,\"hostIp\":\"10.0.0.12\"}");
        harness.runningPod(app, "hello-a", "10.0.0.12", true);

        var degraded = harness.awaitCondition("hello", "Degraded", c -> "True".equals(c.getStatus()));
        assertThat(degraded.getReason()).isEqualTo("InvalidPortRegistration");
        assertThat(degraded.getMessage())
                .isEqualTo(
                        "Redis key wasmorch:port:pod:functions/hello-a/hello: field port must be an integer 1..65535, got 99999");
        assertThat(slices()).isEmpty();
    }

    /**
     * Whoever can write to Redis could point the Service anywhere: a registration whose IP is not
     * the pod's host IP (as the API server, here the mock, reports it) is refused, logged, reported,
     * and never published; the shim's real one is used once it is back.
     */
    @Test
    void aForgedRegistrationIsRefusedAndLogged() {
        try (CapturedLog log = new CapturedLog(HostEndpoints.class)) {
            WasmApp app = harness.create(OperatorHarness.app("hello", NetworkMode.HOST));
            String key = "wasmorch:port:pod:" + NS + "/hello-a/hello";
            redis.set(key, registration(6443, "hello-a", "10.0.0.99"));
            harness.runningPod(app, "hello-a", "10.0.0.12", true);

            var degraded = harness.awaitCondition("hello", "Degraded", c -> "True".equals(c.getStatus()));
            assertThat(degraded.getReason()).isEqualTo("PortRegistrationRefused");
            String why =
                    "Redis key " + key + ": hostIp 10.0.0.99 is not a host IP of pod functions/hello-a (10.0.0.12)";
            assertThat(degraded.getMessage()).isEqualTo(why);
            assertThat(log.lines()).contains("WARN refused port registration for WasmApp functions/hello: " + why);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(harness.events("hello"))
                            .extracting(Event::getReason)
                            .contains("PortRegistrationRefused"));
            assertThat(slices()).isEmpty();
            assertThat(harness.get("hello").getStatus().getEndpoints()).isEmpty();

            redis.set(key, registration(41873, "hello-a", "10.0.0.12"));
            harness.awaitCondition("hello", "Degraded", c -> "False".equals(c.getStatus()));
            assertThat(slices()).singleElement().satisfies(s -> {
                assertThat(s.getEndpoints().get(0).getAddresses()).containsExactly("10.0.0.12");
                assertThat(s.getPorts().get(0).getPort()).isEqualTo(41873);
            });
        }
    }

    /** The container-ID key is bound to the container; a value naming another pod is not used. */
    @Test
    void aRegistrationNamingAnotherPodIsRefused() {
        WasmApp app = harness.create(OperatorHarness.app("hello", NetworkMode.HOST));
        redis.set("wasmorch:port:cid:cid-hello-a", registration(41873, "intruder", "10.0.0.12"));
        harness.runningPod(app, "hello-a", "10.0.0.12", true);

        var degraded = harness.awaitCondition("hello", "Degraded", c -> "True".equals(c.getStatus()));
        assertThat(degraded.getReason()).isEqualTo("PortRegistrationRefused");
        assertThat(degraded.getMessage())
                .isEqualTo("Redis key wasmorch:port:cid:cid-hello-a was read for pod functions/hello-a but names pod"
                        + " \"intruder\"");
        assertThat(slices()).isEmpty();
    }

    @Test
    void switchingToPodModeDropsThePublishedEndpoints() {
        WasmApp app = harness.create(OperatorHarness.app("hello", NetworkMode.HOST));
        redis.set("wasmorch:port:pod:" + NS + "/hello-a/hello", registration(41873, "hello-a", "10.0.0.12"));
        harness.runningPod(app, "hello-a", "10.0.0.12", true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(slices()).hasSize(1));

        harness.editSpec("hello", spec -> spec.setNetworkMode(NetworkMode.POD));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(slices()).isEmpty();
            assertThat(client.services()
                            .inNamespace(NS)
                            .withName("hello")
                            .get()
                            .getSpec()
                            .getSelector())
                    .containsEntry(Labels.FUNCTION, "hello");
        });
    }
}
