package dev.wasmorch.operator.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * rediss:// against a real TLS Redis: a throwaway redis-server (Debian's is built with TLS) on a
 * free 127.0.0.1 port, with a CA and a server certificate for IP 127.0.0.1 made here with the JDK's keytool.
 * The registry reads through TLS when it trusts that CA, and refuses a server it cannot verify: an
 * untrusted CA, or a certificate that does not name the host it connected to.
 */
class RedisTlsTest {
    @TempDir
    static Path dir;

    private static int port;
    private static ThrowawayRedis redis;

    @BeforeAll
    static void start() throws Exception {
        // The JDK's keytool makes the CA and the server certificate, so the test needs no openssl.
        String pass = UUID.randomUUID().toString();
        keytool("-genkeypair -alias ca -keyalg RSA -keysize 2048 -dname CN=wasmorch-test-ca -ext bc:c -validity 1"
                + " -storetype PKCS12 -keystore ca.p12 -storepass " + pass);
        keytool("-exportcert -rfc -alias ca -file ca.crt -keystore ca.p12 -storepass " + pass);
        keytool("-genkeypair -alias server -keyalg RSA -keysize 2048 -dname CN=127.0.0.1 -validity 1"
                + " -storetype PKCS12 -keystore server.p12 -storepass " + pass);
        keytool("-certreq -alias server -file server.csr -keystore server.p12 -storepass " + pass);
        keytool("-gencert -rfc -alias ca -infile server.csr -outfile server.crt -ext san=ip:127.0.0.1 -validity 1"
                + " -keystore ca.p12 -storepass " + pass);
        writePrivateKey(dir.resolve("server.p12"), "server", pass, dir.resolve("server.key"));
        redis = new ThrowawayRedis(
                dir,
                true,
                "--tls-cert-file",
                dir.resolve("server.crt").toString(),
                "--tls-key-file",
                dir.resolve("server.key").toString(),
                "--tls-ca-cert-file",
                dir.resolve("ca.crt").toString(),
                "--tls-auth-clients",
                "no");
        port = redis.port;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (redis != null) {
            redis.close();
        }
    }

    /** Runs the JDK's keytool in dir with the space-separated arguments. */
    private static void keytool(String arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments.split(" ")));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile())
                .start();
        assertThat(p.waitFor())
                .as("keytool %s (see keytool.log)", command.get(1))
                .isZero();
    }

    /** The key as redis-server reads it: PKCS#8 in PEM. */
    private static void writePrivateKey(Path keystore, String alias, String pass, Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, pass.toCharArray());
        }
        byte[] key = store.getKey(alias, pass.toCharArray()).getEncoded();
        Files.writeString(
                pem,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(key)
                        + "\n-----END PRIVATE KEY-----\n");
    }

    private static RedisSettings settings(String url) {
        return RedisSettings.parse(url, null, Duration.ofSeconds(2), "test");
    }

    @Test
    void readsThroughTlsWhenTheServerIsVerified() throws Exception {
        RedisSettings settings = settings("rediss://127.0.0.1:" + port).withCaFile(dir.resolve("ca.crt"));
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
        RedisSettings settings = settings("rediss://localhost:" + port).withCaFile(dir.resolve("ca.crt"));
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
        assertThatThrownBy(() -> settings("redis://127.0.0.1:6379").withCaFile(dir.resolve("ca.crt")))
                .hasMessageStartingWith("a CA file is for TLS, but the Redis URL is not rediss://");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> settings("rediss://127.0.0.1:6379").withCaFile(empty))
                .hasMessage("Redis CA file " + empty + " holds no certificate");
        assertThatThrownBy(() -> settings("rediss://127.0.0.1:6379").withCaFile(dir.resolve("missing.pem")))
                .hasMessageStartingWith("Redis CA file " + dir.resolve("missing.pem"));
    }
}
