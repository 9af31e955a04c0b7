package dev.wasmorch.operator.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.contract.registry.TlsRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * rediss:// against a real TLS Redis (the contract's {@link TlsRedis}: a throwaway redis-server with
 * a CA and a server certificate for IP 127.0.0.1).
 * The registry reads through TLS when it trusts that CA, and refuses a server it cannot verify: an
 * untrusted CA, or a certificate that does not name the host it connected to.
 */
class RedisTlsTest {
    @TempDir
    static Path dir;

    private static int port;
    private static TlsRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = TlsRedis.start(dir);
        port = redis.port;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    private static RedisSettings settings(String url) {
        return RedisSettings.parse(url, null, Duration.ofSeconds(2), "test");
    }

    @Test
    void readsThroughTlsWhenTheServerIsVerified() throws Exception {
        RedisSettings settings = settings("rediss://127.0.0.1:" + port).withCaFile(redis.caFile);
        JedisClientConfig config = PortRegistry.clientConfig(settings);
        try (Jedis writer = new Jedis(new HostAndPort("127.0.0.1", port), config)) {
            writer.set("wasmorch:port:pod:ns/p/c", "{\"port\":41873,\"hostIp\":\"10.0.0.12\"}");
        }
        try (PortRegistry registry = new PortRegistry(settings)) {
            assertThat(registry.lookup("ns", "p", "c", null))
                    .get()
                    .extracting(PortRegistration::port)
                    .isEqualTo(41873);
        }
    }

    @Test
    void aServerOfAnUntrustedCaIsRefused() {
        // The JVM's default CAs do not include the test CA.
        try (PortRegistry registry = new PortRegistry(settings("rediss://127.0.0.1:" + port))) {
            assertThatThrownBy(() -> registry.lookup("ns", "p", "c", null))
                    .isInstanceOf(PortRegistryUnavailableException.class)
                    .hasMessageStartingWith("port registry rediss://127.0.0.1:" + port + " unavailable")
                    .hasStackTraceContaining("PKIX path building failed");
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() {
        // localhost is 127.0.0.1, but the certificate names only the IP address.
        RedisSettings settings = settings("rediss://localhost:" + port).withCaFile(redis.caFile);
        try (PortRegistry registry = new PortRegistry(settings)) {
            assertThatThrownBy(() -> registry.lookup("ns", "p", "c", null))
                    .isInstanceOf(PortRegistryUnavailableException.class)
                    .hasStackTraceContaining("No name matching localhost found");
        }
    }

    @Test
    void plainRedisIsNotTls() {
        assertThat(PortRegistry.clientConfig(settings("redis://127.0.0.1:6379")).isSsl())
                .isFalse();
        JedisClientConfig tls = PortRegistry.clientConfig(settings("rediss://127.0.0.1:6379"));
        assertThat(tls.isSsl()).isTrue();
        assertThat(tls.getSslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        try (PortRegistry registry = new PortRegistry(settings("redis://127.0.0.1:" + port))) {
            assertThatThrownBy(() -> registry.lookup("ns", "p", "c", null))
                    .isInstanceOf(PortRegistryUnavailableException.class);
        }
    }

    @Test
    void aCaFileNeedsTlsAndCertificates() throws IOException {
        assertThatThrownBy(() -> settings("redis://127.0.0.1:6379").withCaFile(redis.caFile))
                .hasMessageStartingWith("a CA file is for TLS, but the Redis URL is not rediss://");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> settings("rediss://127.0.0.1:6379").withCaFile(empty))
                .hasMessage("Redis CA file " + empty + " holds no certificate");
        assertThatThrownBy(() -> settings("rediss://127.0.0.1:6379").withCaFile(dir.resolve("missing.pem")))
                .hasMessageStartingWith("Redis CA file " + dir.resolve("missing.pem"));
    }
}
