package dev.wasmorch.shim.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Against the real local Redis, database 2 (the shim's test index), and a throwaway redis-server. */
public class PortRegistryTest {

    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final PortRegistration reg = new PortRegistration(
            41873, "cid-registry-test", "default", "hello-7d9c5b8f6-x2x9k", "hello", "agent-1", "10.0.0.12");

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    @Test
    void publishesBothKeysRefreshesThemAndRemovesThemOnClose() throws Exception {
        RedisTarget target = RedisTarget.parse("redis://127.0.0.1:6379/2", null, null);
        try (JedisPooled redis = new JedisPooled(target.address(), target.config());
                PortRegistry registry =
                        new PortRegistry(target, "agent-1:/run/test.sock", TTL, REFRESH, Clock.systemUTC())) {
            var publication = registry.publish(reg, scheduler);
            await(() -> redis.exists(reg.cidKey()), Duration.ofSeconds(5));

            JsonNode json = JSON.readTree(redis.get(reg.cidKey()));
            assertThat(json.get("port").asInt()).isEqualTo(41873);
            assertThat(json.get("containerId").asText()).isEqualTo("cid-registry-test");
            assertThat(json.get("namespace").asText()).isEqualTo("default");
            assertThat(json.get("pod").asText()).isEqualTo("hello-7d9c5b8f6-x2x9k");
            assertThat(json.get("container").asText()).isEqualTo("hello");
            assertThat(json.get("node").asText()).isEqualTo("agent-1");
            assertThat(json.get("hostIp").asText()).isEqualTo("10.0.0.12");
            assertThat(json.get("shim").asText()).isEqualTo("agent-1:/run/test.sock");
            assertThat(json.get("updated").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
            String podKey = "wasmorch:port:pod:default/hello-7d9c5b8f6-x2x9k/hello";
            assertThat(redis.get(podKey)).isEqualTo(redis.get(reg.cidKey()));
            assertThat(redis.smembers("wasmorch:ports:pod:default/hello-7d9c5b8f6-x2x9k"))
                    .containsExactly("hello");
            assertThat(redis.pttl(reg.cidKey())).isBetween(1L, TTL.toMillis());

            // Outlive the TTL twice over: only the refresh keeps the entries alive.
            Thread.sleep(2 * TTL.toMillis());
            assertThat(redis.exists(reg.cidKey())).isTrue();
            assertThat(redis.exists(podKey)).isTrue();
            assertThat(redis.pttl(reg.cidKey())).isGreaterThan(TTL.toMillis() - 2 * REFRESH.toMillis());
            assertThat(publication.registered()).isTrue();

            publication.close();
            assertThat(redis.exists(reg.cidKey())).isFalse();
            assertThat(redis.exists(podKey)).isFalse();
            assertThat(redis.sismember("wasmorch:ports:pod:default/hello-7d9c5b8f6-x2x9k", "hello"))
                    .isFalse();
        }
    }

    @Test
    void entriesExpireWhenTheShimStopsRefreshing() throws Exception {
        RedisTarget target = RedisTarget.parse("redis://127.0.0.1:6379/2", null, null);
        var crashed = new PortRegistration(1, "cid-crashed", null, null, null, "agent-1", "10.0.0.12");
        try (JedisPooled redis = new JedisPooled(target.address(), target.config());
                PortRegistry registry =
                        new PortRegistry(target, "agent-1:/run/test.sock", TTL, REFRESH, Clock.systemUTC())) {
            registry.publish(crashed, scheduler);
            await(() -> redis.exists(crashed.cidKey()), Duration.ofSeconds(5));
            assertThat(crashed.podKey()).isEmpty();
            scheduler.shutdownNow(); // a crash: no more refreshes, no removal
            await(() -> !redis.exists(crashed.cidKey()), TTL.plusSeconds(2));
        }
    }

    @Test
    void registersOnceRedisComesUp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        RedisTarget target = RedisTarget.parse("redis://127.0.0.1:" + port, null, null);
        try (PortRegistry registry =
                new PortRegistry(target, "agent-1:/run/test.sock", TTL, REFRESH, Clock.systemUTC())) {
            var publication = registry.publish(reg, scheduler);
            Thread.sleep(1500);
            assertThat(publication.registered()).isFalse();

            Process redisServer = new ProcessBuilder(
                            "redis-server",
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (JedisPooled redis = new JedisPooled(target.address(), target.config())) {
                await(
                        () -> {
                            try {
                                return redis.exists(reg.cidKey());
                            } catch (RuntimeException notYetUp) {
                                return false;
                            }
                        },
                        Duration.ofSeconds(10));
                assertThat(publication.registered()).isTrue();
                publication.close();
                assertThat(redis.exists(reg.cidKey())).isFalse();
            } finally {
                redisServer.destroy();
                redisServer.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void parsesUrlsWithCredentialsAndDatabase() {
        RedisTarget t = RedisTarget.parse("redis://user:p%40ss@redis.example:6380/5", null, null);
        assertThat(t.address().getHost()).isEqualTo("redis.example");
        assertThat(t.address().getPort()).isEqualTo(6380);
        assertThat(t.config().getUser()).isEqualTo("user");
        assertThat(t.config().getPassword()).isEqualTo("p@ss");
        assertThat(t.config().getDatabase()).isEqualTo(5);
        assertThat(t.display()).isEqualTo("redis://redis.example:6380/5").doesNotContain("p@ss");
        assertThat(RedisTarget.parse("redis://:inurl@h", "fromenv", null)
                        .config()
                        .getPassword())
                .isEqualTo("fromenv");
    }

    /** Polls until the condition holds (shared with the app-level registration tests). */
    public static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
