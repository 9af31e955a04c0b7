package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.shim.registry.PortRegistryTest;
import dev.wasmorch.shim.registry.RedisTarget;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** The runner publishes each app's port in Redis (DB 2) and keeps serving without Redis. */
class AppRegistrationTest {

    @TempDir
    Path dir;

    @Test
    void publishesThePortByContainerAndPodAndRemovesItOnClose() throws Exception {
        RedisTarget target = RedisTarget.parse(AppHarness.REDIS_URL, null, null);
        try (AppHarness harness = new AppHarness(16L << 20, Duration.ofSeconds(5));
                JedisPooled redis = new JedisPooled(target.address(), target.config())) {
            RunningApp app = harness.start("c-reg", TestApps.app(dir, "/hello=hello"));
            String cidKey = "wasmorch:port:cid:c-reg";
            String podKey = "wasmorch:port:pod:default/pod-c-reg/app";
            PortRegistryTest.await(() -> redis.exists(cidKey), Duration.ofSeconds(5));
            var json = new ObjectMapper().readTree(redis.get(cidKey));
            assertThat(json.get("port").asInt()).isEqualTo(app.port());
            assertThat(json.get("hostIp").asText()).isEqualTo("127.0.0.1");
            assertThat(json.get("node").asText()).isEqualTo("node-test");
            assertThat(redis.get(podKey)).isEqualTo(redis.get(cidKey));
            assertThat(redis.sismember("wasmorch:ports:pod:default/pod-c-reg", "app"))
                    .isTrue();
            assertThat(redis.pttl(cidKey)).isBetween(1L, 30_000L);

            app.close();
            assertThat(app.exit().get()).isZero();
            assertThat(redis.exists(cidKey)).isFalse();
            assertThat(redis.exists(podKey)).isFalse();
        }
    }

    @Test
    void servesWhileRedisIsDown() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            deadPort = probe.getLocalPort();
        }
        String url = "redis://127.0.0.1:" + deadPort;
        var settings = new ShimSettings(url, null, "127.0.0.1", 16L << 20, Duration.ofSeconds(5), "node-test");
        try (AppHarness harness = new AppHarness(settings, url);
                RunningApp app = harness.start("c-noredis", TestApps.app(dir, "/hello=hello"))) {
            assertThat(harness.get(app, "/hello").body()).isEqualTo("hello from wasmorch\n");
        }
    }
}
