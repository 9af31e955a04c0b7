package dev.wasmorch.operator.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.contract.registry.ThrowawayRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * The Redis ACL users operator/README.md recommends for production, on a throwaway redis-server:
 * the operator reads registrations and can write nothing; the shim's user can do what the shim
 * does (MULTI, SET with PX, SADD, PEXPIRE, EXEC, DEL, SREM on the registry's keys) and nothing
 * else; without a user nothing works. Passwords are made up per run.
 */
class RedisAclTest {
    /** The ACL rules of README's "Production: ACLs and TLS", without the user name and password. */
    static final String OPERATOR_RULES = "~wasmorch:port:* resetchannels -@all +get +ping +select +client|setname";

    static final String SHIM_RULES = "~wasmorch:port:* ~wasmorch:ports:* resetchannels -@all +set +sadd +srem"
            + " +pexpire +del +multi +exec +discard +ping +select +client|setname";

    private static final String OPERATOR_PASSWORD = UUID.randomUUID().toString();
    private static final String SHIM_PASSWORD = UUID.randomUUID().toString();

    private static ThrowawayRedis redis;

    @BeforeAll
    static void start(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // Each word of a user line is an argument of its own: redis-server joins them into the line.
        String users = "--user default off --user wasmorch-operator on >" + OPERATOR_PASSWORD + " " + OPERATOR_RULES
                + " --user wasmorch-shim on >" + SHIM_PASSWORD + " " + SHIM_RULES;
        redis = new ThrowawayRedis(dir, false, users.split(" "));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    private static Jedis as(String user, String password) {
        return new Jedis(
                new HostAndPort("127.0.0.1", redis.port),
                DefaultJedisClientConfig.builder()
                        .user(user)
                        .password(password)
                        .database(1)
                        .clientName("acl-test")
                        .build());
    }

    /** What the shim does when a task starts (shim PortRegistry.publish). */
    private static void publishAsTheShim(String json) {
        try (Jedis shim = as("wasmorch-shim", SHIM_PASSWORD);
                Transaction tx = shim.multi()) {
            tx.set("wasmorch:port:cid:abc", json, SetParams.setParams().px(30_000));
            tx.set("wasmorch:port:pod:ns/p/c", json, SetParams.setParams().px(30_000));
            tx.sadd("wasmorch:ports:pod:ns/p", "c");
            tx.pexpire("wasmorch:ports:pod:ns/p", 30_000);
            tx.exec();
        }
    }

    @Test
    void theOperatorReadsWhatTheShimPublished() throws Exception {
        publishAsTheShim("{\"port\":41873,\"hostIp\":\"10.0.0.12\"}");
        RedisSettings settings = RedisSettings.parse(
                "redis://wasmorch-operator@127.0.0.1:" + redis.port + "/1",
                OPERATOR_PASSWORD,
                Duration.ofSeconds(2),
                "test");
        try (PortRegistry registry = new PortRegistry(settings)) {
            assertThat(registry.lookup("ns", "p", "c", "abc"))
                    .get()
                    .extracting(PortRegistration::port)
                    .isEqualTo(41873);
        }
        try (Jedis shim = as("wasmorch-shim", SHIM_PASSWORD);
                Transaction tx = shim.multi()) {
            tx.del("wasmorch:port:cid:abc");
            tx.srem("wasmorch:ports:pod:ns/p", "c");
            tx.exec();
        }
    }

    @Test
    void theOperatorCannotWriteARegistration() {
        try (Jedis operator = as("wasmorch-operator", OPERATOR_PASSWORD)) {
            assertThatThrownBy(() -> operator.set("wasmorch:port:pod:ns/p/c", "{\"port\":22}"))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> operator.get("other:key"))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("NOPERM");
        }
    }

    @Test
    void theShimCannotTouchOtherKeysOrRunOtherCommands() {
        try (Jedis shim = as("wasmorch-shim", SHIM_PASSWORD)) {
            assertThatThrownBy(() -> shim.set("other:key", "x"))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> shim.flushDB())
                    .isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("NOPERM");
        }
    }

    @Test
    void withoutAUserNothingIsAllowed() {
        try (Jedis anonymous = new Jedis("127.0.0.1", redis.port)) {
            assertThatThrownBy(() -> anonymous.get("wasmorch:port:pod:ns/p/c"))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("NOAUTH");
        }
    }
}
