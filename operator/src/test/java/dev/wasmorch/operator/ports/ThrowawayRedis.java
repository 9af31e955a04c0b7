package dev.wasmorch.operator.ports;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of its own on a free 127.0.0.1 port, for tests that configure the server (TLS,
 * ACL users) and so cannot use the machine's shared one. Output goes to {@code redis.log} in dir.
 */
final class ThrowawayRedis implements AutoCloseable {
    final int port;
    private final Process process;

    /** @param tlsPort true to serve only TLS on the port (then {@code options} must give the certificate) */
    ThrowawayRedis(Path dir, boolean tlsPort, String... options) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command =
                new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        command.addAll(
                tlsPort
                        ? List.of("--port", "0", "--tls-port", String.valueOf(port))
                        : List.of("--port", String.valueOf(port)));
        command.addAll(List.of(options));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
