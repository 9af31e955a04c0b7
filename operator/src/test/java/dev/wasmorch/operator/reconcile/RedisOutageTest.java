package dev.wasmorch.operator.reconcile;

import static dev.wasmorch.operator.reconcile.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The port registry goes away and comes back: a throwaway redis-server on a free port, killed and
 * restarted, so the shared Redis of the machine is never disturbed.
 */
@EnableKubernetesMockClient(crud = true)
class RedisOutageTest {
    KubernetesClient client;
    private int port;
    private Process redis;
    private OperatorHarness harness;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        startRedis();
        harness = new OperatorHarness(client, "redis://127.0.0.1:" + port);
    }

    @AfterEach
    void stop() throws InterruptedException {
        // The redis-server must go even when the operator never started.
        try {
            if (harness != null) {
                harness.close();
            }
        } finally {
            stopRedis();
        }
    }

    private void startRedis() throws IOException {
        redis = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                return "PONG".equals(jedis.ping());
            }
        });
    }

    private void stopRedis() throws InterruptedException {
        redis.destroy();
        if (!redis.waitFor(10, TimeUnit.SECONDS)) {
            redis.destroyForcibly().waitFor();
        }
    }

    private void register(int shimPort) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.set(
                    "wasmorch:port:pod:" + NS + "/hello-a/hello",
                    HostEndpointsTest.registration(shimPort, "hello-a", "10.0.0.12"));
        }
    }

    @Test
    void degradesWhileRedisIsDownAndRecoversWhenItReturns() throws Exception {
        register(41873);
        WasmApp app = harness.create(OperatorHarness.app("hello", NetworkMode.HOST));
        harness.runningPod(app, "hello-a", "10.0.0.12", true);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(harness.get("hello").getStatus().getEndpoints())
                        .containsExactly("10.0.0.12:41873"));

        stopRedis();
        // A second pod makes the operator look into Redis while it is down.
        harness.runningPod(harness.get("hello"), "hello-b", "10.0.0.13", true);
        var degraded = harness.awaitCondition("hello", "Degraded", c -> "True".equals(c.getStatus()));
        assertThat(degraded.getReason()).isEqualTo("PortRegistryUnavailable");
        assertThat(degraded.getMessage()).contains("redis://127.0.0.1:" + port);
        // The shim still serves on the port it had: its endpoint is kept, not dropped for an outage.
        assertThat(client.discovery()
                        .v1()
                        .endpointSlices()
                        .inNamespace(NS)
                        .withName("wasmorch-hello-a")
                        .get())
                .isNotNull();
        assertThat(harness.get("hello").getStatus().getEndpoints()).containsExactly("10.0.0.12:41873");

        startRedis();
        register(41873);
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.set(
                    "wasmorch:port:pod:" + NS + "/hello-b/hello",
                    HostEndpointsTest.registration(39001, "hello-b", "10.0.0.13"));
        }
        harness.awaitCondition("hello", "Degraded", c -> "False".equals(c.getStatus()));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(harness.get("hello").getStatus().getEndpoints())
                        .containsExactly("10.0.0.12:41873", "10.0.0.13:39001"));
        harness.awaitEventReasons("hello", "PortRegistryUnavailable", "Recovered");
    }
}
