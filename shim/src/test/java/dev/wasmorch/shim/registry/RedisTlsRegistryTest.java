package dev.wasmorch.shim.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.contract.registry.TlsRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The shim publishes over rediss:// to a real TLS redis-server (the contract's {@link TlsRedis}) when
 * it trusts the server's CA and the certificate names the host, and never to one it cannot verify.
 */
class RedisTlsRegistryTest {

    @TempDir
    static Path dir;

    private static TlsRedis redis;

    private final PortRegistration reg =
            new PortRegistration(41873, "cid-tls-test", "default", "hello-1", "hello", "agent-1", "10.0.0.12");

    @BeforeAll
    static void start() throws Exception {
        redis = TlsRedis.start(dir);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void publishesThroughTlsToAVerifiedServer() throws Exception {
        RedisTarget target = RedisTarget.parse("rediss://127.0.0.1:" + redis.port, null, redis.caFile);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (PortRegistry registry = new PortRegistry(
                        target,
                        "agent-1:/run/tls.sock",
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        Clock.systemUTC());
                Jedis reader = new Jedis(target.address(), target.config())) {
            registry.publish(reg, scheduler);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!reader.exists(reg.cidKey()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(reader.get(reg.cidKey())).contains("\"port\":41873");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aServerItCannotVerifyGetsNothing() {
        // the JVM's default CAs do not hold the test CA; localhost is not the name on the certificate
        for (RedisTarget target : new RedisTarget[] {
            RedisTarget.parse("rediss://127.0.0.1:" + redis.port, null, null),
            RedisTarget.parse("rediss://localhost:" + redis.port, null, redis.caFile)
        }) {
            assertThatThrownBy(() -> {
                        try (Jedis client = new Jedis(target.address(), target.config())) {
                            client.ping();
                        }
                    })
                    .as(target.display())
                    .isInstanceOf(JedisConnectionException.class)
                    .hasStackTraceContaining("SSLHandshakeException");
        }
    }

    @Test
    void aCaFileNeedsRediss() {
        assertThatThrownBy(() -> RedisTarget.parse("redis://127.0.0.1:6379", null, redis.caFile))
                .hasMessageContaining("WASMORCH_REDIS_CA_FILE is for TLS");
    }
}
