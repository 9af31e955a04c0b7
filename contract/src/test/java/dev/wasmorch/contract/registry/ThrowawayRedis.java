package dev.wasmorch.contract.registry;

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
public final class ThrowawayRedis implements AutoCloseable {
    public final int port;
    private final Process process;

    /** @param tlsPort true to serve only TLS on the port (then {@code options} must give the certificate) */
    public ThrowawayRedis(Path dir, boolean tlsPort, String... options) throws IOException, InterruptedException {
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
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s");
                }
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
