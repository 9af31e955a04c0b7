package dev.wasmorch.contract.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A throwaway redis-server that serves only TLS (Debian's is built with TLS) on a free 127.0.0.1
 * port, with a CA and a server certificate for IP 127.0.0.1 made with the JDK's keytool, so the
 * tests need no openssl. The CA is in {@link #caFile}; the server does not ask for client
 * certificates.
 */
public final class TlsRedis implements AutoCloseable {

    public final int port;
    public final Path caFile;
    private final ThrowawayRedis redis;

    private TlsRedis(ThrowawayRedis redis, Path caFile) {
        this.redis = redis;
        this.port = redis.port;
        this.caFile = caFile;
    }

    public static TlsRedis start(Path dir) throws IOException, InterruptedException {
        String pass = UUID.randomUUID().toString();
        keytool(
                dir,
                "-genkeypair -alias ca -keyalg RSA -keysize 2048 -dname CN=wasmorch-test-ca -ext bc:c -validity 1"
                        + " -storetype PKCS12 -keystore ca.p12 -storepass " + pass);
        keytool(dir, "-exportcert -rfc -alias ca -file ca.crt -keystore ca.p12 -storepass " + pass);
        keytool(
                dir,
                "-genkeypair -alias server -keyalg RSA -keysize 2048 -dname CN=127.0.0.1 -validity 1"
                        + " -storetype PKCS12 -keystore server.p12 -storepass " + pass);
        keytool(dir, "-certreq -alias server -file server.csr -keystore server.p12 -storepass " + pass);
        keytool(
                dir,
                "-gencert -rfc -alias ca -infile server.csr -outfile server.crt -ext san=ip:127.0.0.1 -validity 1"
                        + " -keystore ca.p12 -storepass " + pass);
        writePrivateKey(dir.resolve("server.p12"), "server", pass, dir.resolve("server.key"));
        ThrowawayRedis redis = new ThrowawayRedis(
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
        return new TlsRedis(redis, dir.resolve("ca.crt"));
    }

    /** Runs the JDK's keytool in dir with the space-separated arguments. */
    private static void keytool(Path dir, String arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments.split(" ")));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile())
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(
                    "keytool " + command.get(1) + " failed: " + Files.readString(dir.resolve("keytool.log")));
        }
    }

    /** The key as redis-server reads it: PKCS#8 in PEM. */
    private static void writePrivateKey(Path keystore, String alias, String pass, Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, pass.toCharArray());
            byte[] key = store.getKey(alias, pass.toCharArray()).getEncoded();
            Files.writeString(
                    pem,
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(key)
                            + "\n-----END PRIVATE KEY-----\n");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot export the test server's key: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        redis.close();
    }
}
