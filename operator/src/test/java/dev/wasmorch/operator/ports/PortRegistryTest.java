package dev.wasmorch.operator.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Registrations are untrusted network input: validated, and errors name the key. Uses Redis DB 1. */
class PortRegistryTest {
    private Jedis redis;
    private PortRegistry registry;

    @BeforeEach
    void open() {
        redis = new Jedis("127.0.0.1", 6379);
        redis.select(1);
        redis.flushDB();
        registry =
                new PortRegistry(RedisSettings.parse("redis://127.0.0.1:6379/1", null, Duration.ofSeconds(1), "test"));
    }

    @AfterEach
    void close() {
        registry.close();
        redis.flushDB();
        redis.close();
    }

    @Test
    void readsThePodKeyFirstThenTheContainerId() throws Exception {
        redis.set("wasmorch:port:cid:abc", "{\"port\":4000,\"hostIp\":\"10.0.0.1\"}");
        assertThat(registry.lookup("ns", "p", "c", "abc"))
                .contains(new PortRegistration("wasmorch:port:cid:abc", 4000, "10.0.0.1", null, null, null, null));
        redis.set("wasmorch:port:pod:ns/p/c", "{\"port\":5000,\"hostIp\":\"fd00::12\"}");
        assertThat(registry.lookup("ns", "p", "c", "abc"))
                .contains(new PortRegistration("wasmorch:port:pod:ns/p/c", 5000, "fd00::12", null, null, null, null));
        assertThat(registry.lookup("ns", "other", "c", null)).isEmpty();
    }

    @Test
    void rejectsMalformedRegistrations() {
        assertThatThrownBy(() -> PortRegistry.parse("k", "41873")).hasMessage("Redis key k: expected a JSON object");
        assertThatThrownBy(() -> PortRegistry.parse("k", "{port:")).hasMessageStartingWith("Redis key k: not JSON");
        assertThatThrownBy(() -> PortRegistry.parse("k", "{\"port\":0}"))
                .hasMessage("Redis key k: field port must be an integer 1..65535, got 0");
        assertThatThrownBy(() -> PortRegistry.parse("k", "{\"port\":\"80\"}")).hasMessageContaining("got \"80\"");
        assertThatThrownBy(() -> PortRegistry.parse("k", "{\"port\":80.5}")).hasMessageContaining("got 80.5");
        assertThatThrownBy(() -> PortRegistry.parse("k", "{\"port\":80,\"hostIp\":\"evil.example.com\"}"))
                .hasMessage("Redis key k: field hostIp is not an IP address: evil.example.com");
        assertThatThrownBy(() -> PortRegistry.parse("k", "{\"port\":80,\"hostIp\":\"10.0.0.256\"}"))
                .hasMessageContaining("not an IP");
    }

    @Test
    void hostIpIsOptional() throws Exception {
        assertThat(PortRegistry.parse("k", "{\"port\":80}"))
                .isEqualTo(new PortRegistration("k", 80, null, null, null, null, null));
    }

    /** What the registration names is kept, so the operator can check it against the pod it was read for. */
    @Test
    void keepsThePodAndContainerTheShimNamed() throws Exception {
        assertThat(PortRegistry.parse(
                        "k",
                        "{\"port\":41873,\"containerId\":\"4b1c\",\"namespace\":\"default\",\"pod\":\"hello-x\","
                                + "\"container\":\"hello\",\"node\":\"agent-1\",\"hostIp\":\"10.0.0.12\"}"))
                .isEqualTo(new PortRegistration("k", 41873, "10.0.0.12", "default", "hello-x", "hello", "4b1c"));
        assertThatThrownBy(() -> PortRegistry.parse("k", "{\"port\":80,\"pod\":7}"))
                .hasMessage("Redis key k: field pod must be a string, got 7");
    }

    @Test
    void anUnreachableRedisIsReportedWithoutItsCredentials() {
        try (PortRegistry dead = new PortRegistry(
                RedisSettings.parse("redis://user:s3cret@127.0.0.1:1/1", null, Duration.ofMillis(300), "test"))) {
            assertThatThrownBy(() -> dead.lookup("ns", "p", "c", null))
                    .isInstanceOf(PortRegistryUnavailableException.class)
                    .hasMessageStartingWith("port registry redis://127.0.0.1:1/1 unavailable")
                    .hasMessageNotContaining("s3cret");
        }
    }

    @Test
    void settingsRejectOtherSchemes() {
        assertThatThrownBy(
                        () -> RedisSettings.parse("http://127.0.0.1:6379", null, Duration.ofSeconds(1), "--redis-url"))
                .hasMessageStartingWith("--redis-url: invalid Redis URL");
    }
}
