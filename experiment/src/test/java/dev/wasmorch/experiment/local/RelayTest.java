package dev.wasmorch.experiment.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay between 127.0.0.2 (standing in for the bridge's gateway) and a server on 127.0.0.1. */
class RelayTest {

    @Test
    @Timeout(20)
    void forwardsBothWaysAndPassesTheEndOfTheRequestOn() throws Exception {
        try (ServerSocket service = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                Relay relay = new Relay("127.0.0.2", service.getLocalPort())) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket s = service.accept()) {
                    String request = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    s.getOutputStream().write(("echo:" + request).getBytes(StandardCharsets.UTF_8));
                    return request;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket client = new Socket("127.0.0.2", relay.port())) {
                OutputStream out = client.getOutputStream();
                out.write("GET /texts/sample.txt".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput(); // the request ends: the service reads to its end
                InputStream in = client.getInputStream();

                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("echo:GET /texts/sample.txt");
            }
            assertThat(served.get()).isEqualTo("GET /texts/sample.txt");
        }
    }
}
