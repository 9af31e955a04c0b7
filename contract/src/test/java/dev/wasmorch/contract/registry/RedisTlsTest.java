package dev.wasmorch.contract.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS both Redis clients use, against a real TLS redis-server, spoken to in RESP by hand. */
class RedisTlsTest {

    @TempDir
    static Path dir;

    private static TlsRedis redis;

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
    void aServerOfTheTrustedCaNamingTheHostAnswers() throws IOException {
        assertThat(ping(RedisTls.trusting(redis.caFile), "127.0.0.1")).isEqualTo("+PONG");
    }

    @Test
    void aServerOfAnotherCaIsRefused() {
        assertThatThrownBy(() -> ping((SSLSocketFactory) SSLSocketFactory.getDefault(), "127.0.0.1"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed");
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() {
        // localhost is 127.0.0.1, but the certificate names only the IP address.
        assertThatThrownBy(() -> ping(RedisTls.trusting(redis.caFile), "localhost"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No name matching localhost found");
    }

    @Test
    void aCaFileWithoutCertificatesIsRefusedNamingIt() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> RedisTls.trusting(empty))
                .hasMessage("Redis CA file " + empty + " holds no certificate");
        assertThatThrownBy(() -> RedisTls.trusting(dir.resolve("missing.pem")))
                .hasMessageStartingWith("Redis CA file " + dir.resolve("missing.pem"));
    }

    private static String ping(SSLSocketFactory factory, String host) throws IOException {
        try (SSLSocket socket = (SSLSocket) factory.createSocket(host, redis.port)) {
            socket.setSoTimeout(5000);
            socket.setSSLParameters(RedisTls.verifyingHostName());
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[7];
            int n = socket.getInputStream().readNBytes(answer, 0, 5);
            return new String(answer, 0, n, StandardCharsets.US_ASCII);
        }
    }
}
