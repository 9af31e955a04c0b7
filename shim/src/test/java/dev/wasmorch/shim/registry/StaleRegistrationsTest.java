package dev.wasmorch.shim.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * A daemon's start removes what its crashed predecessor (the same node, containerd and namespace)
 * left in Redis, and nothing of anyone else's. Against the real local Redis, database 2.
 */
class StaleRegistrationsTest {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final String SHIM = "agent-1:/run/wasmorch-shim/k8s.io@_run_a.sock/shim.sock";
    private static final String NEIGHBOUR = "agent-1:/run/wasmorch-shim/k8s.io@_run_b.sock/shim.sock";
    private static final RedisTarget TARGET = RedisTarget.parse("redis://127.0.0.1:6379/2", null, null);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterTry
    void cleanUp() {
        scheduler.shutdownNow();
        try (JedisPooled redis = redis()) {
            for (String pattern : new String[] {"wasmorch:port*:stale-*", "wasmorch:port*:*stale-*"}) {
                redis.keys(pattern).forEach(redis::del);
            }
        }
    }

    @Test
    void removesThePredecessorsEntriesWithTheirPodKeysAndKeepsTheNeighbours() {
        PortRegistration crashed = registration("stale-a1", "web-a");
        PortRegistration crashedByCtr = new PortRegistration(2, "stale-a2", null, null, null, "agent-1", "10.0.0.12");
        PortRegistration live = registration("stale-b1", "web-b");
        try (JedisPooled redis = redis();
                PortRegistry predecessor = registry(SHIM);
                PortRegistry neighbour = registry(NEIGHBOUR)) {
            predecessor.write(crashed);
            predecessor.write(crashedByCtr);
            neighbour.write(live);
            // the same pod's other container, registered by the neighbour: its set member stays
            redis.sadd(crashed.setKey().orElseThrow(), "sidecar");

            try (PortRegistry successor = registry(SHIM)) {
                assertThat(successor.removeStale(Duration.ofSeconds(5))).isEqualTo(2);
            }

            assertThat(redis.exists(crashed.cidKey())).isFalse();
            assertThat(redis.exists(crashed.podKey().orElseThrow())).isFalse();
            assertThat(redis.smembers(crashed.setKey().orElseThrow())).containsExactly("sidecar");
            assertThat(redis.exists(crashedByCtr.cidKey())).isFalse();
            assertThat(redis.exists(live.cidKey())).isTrue();
            assertThat(redis.exists(live.podKey().orElseThrow())).isTrue();
            assertThat(redis.smembers(live.setKey().orElseThrow())).containsExactly("web");
        } finally {
            cleanUp();
        }
    }

    @Test
    void aRedisThatIsDownOnlyDelaysTheStartByItsTimeout() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (PortRegistry registry = new PortRegistry(
                RedisTarget.parse("redis://127.0.0.1:" + port, null, null), SHIM, TTL, REFRESH, Clock.systemUTC())) {
            assertThat(registry.removeStale(Duration.ofSeconds(5))).isZero();
        }
    }

    /**
     * Whatever someone wrote under a container-ID key, claiming to be this shim or not: the sweep
     * neither fails nor deletes a pod key holding another value (another's registration).
     */
    @Property(tries = 60)
    void untrustedEntriesNeverDeleteAnotherRegistration(@ForAll("entries") String value) {
        PortRegistration victim = registration("stale-victim", "victim");
        try (JedisPooled redis = redis();
                PortRegistry neighbour = registry(NEIGHBOUR);
                PortRegistry successor = registry(SHIM)) {
            neighbour.write(victim);
            redis.set("wasmorch:port:cid:stale-forged", value);

            successor.removeStale(Duration.ofSeconds(5));

            assertThat(redis.exists(victim.cidKey())).isTrue();
            assertThat(redis.get(victim.podKey().orElseThrow())).isNotNull();
            assertThat(redis.smembers(victim.setKey().orElseThrow())).contains("web");
        }
    }

    @Provide
    Arbitrary<String> entries() {
        Arbitrary<String> names = Arbitraries.of("default", "victim", "web", "", "a/b", "..", "*");
        Arbitrary<String> forged = names.tuple3()
                .map(t -> "{\"shim\":\"" + SHIM + "\",\"namespace\":\"" + t.get1() + "\",\"pod\":\"" + t.get2()
                        + "\",\"container\":\"" + t.get3() + "\",\"containerId\":\"stale-forged\"}");
        Arbitrary<String> victimsPod = Arbitraries.just(
                "{\"shim\":\"" + SHIM + "\",\"namespace\":\"default\",\"pod\":\"victim\",\"container\":\"web\"}");
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> notObjects =
                Arbitraries.of("null", "[]", "42", "\"shim\"", "{\"shim\":null}", "{\"shim\":42}");
        return Arbitraries.oneOf(forged, victimsPod, junk, notObjects);
    }

    private static PortRegistration registration(String containerId, String pod) {
        return new PortRegistration(41873, containerId, "default", pod, "web", "agent-1", "10.0.0.12");
    }

    private static PortRegistry registry(String shim) {
        return new PortRegistry(TARGET, shim, TTL, REFRESH, Clock.systemUTC());
    }

    private static JedisPooled redis() {
        return new JedisPooled(TARGET.address(), TARGET.config());
    }
}
