package dev.wasmorch.shim.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.proto.ttrpc.KeyValue;
import dev.wasmorch.shim.proto.ttrpc.Request;
import dev.wasmorch.shim.proto.ttrpc.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TTRPC framing and messages as github.com/containerd/ttrpc defines them, and a server/client pair. */
class TtrpcTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    @TempDir
    Path tmp;

    @Test
    void frameHeaderIsLengthStreamTypeFlagsBigEndian() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Frame(3, Frame.TYPE_REQUEST, (byte) 0, "ab".getBytes(StandardCharsets.US_ASCII))
                .write(Channels.newChannel(out));
        byte[] expected = HEX.parseHex("00 00 00 02 00 00 00 03 01 00 61 62");
        assertThat(out.toByteArray()).isEqualTo(expected);
        Frame back = Frame.read(Channels.newChannel(new java.io.ByteArrayInputStream(expected)));
        assertThat(back.streamId()).isEqualTo(3);
        assertThat(back.type()).isEqualTo(Frame.TYPE_REQUEST);
        assertThat(back.payload()).isEqualTo("ab".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void oversizedAndTruncatedFramesAreRefused() {
        byte[] tooLong = ByteBuffer.allocate(10)
                .putInt(Frame.MAX_PAYLOAD + 1)
                .putInt(1)
                .put((byte) 1)
                .array();
        assertThatThrownBy(() -> Frame.read(Channels.newChannel(new java.io.ByteArrayInputStream(tooLong))))
                .hasMessageContaining("exceeds the limit");
        byte[] cut = HEX.parseHex("00 00 00 05 00 00 00 01 01 00 61");
        assertThatThrownBy(() -> Frame.read(Channels.newChannel(new java.io.ByteArrayInputStream(cut))))
                .hasMessageContaining("closed inside a message");
    }

    @Test
    void requestAndResponseMatchTtrpcTypes() throws IOException {
        // Request{service = 1 "s", method = 2 "m", payload = 3 01, metadata = 5 KeyValue{key "k", value "v"}}
        byte[] wire = HEX.parseHex("0a 01 73 12 01 6d 1a 01 01 2a 06 0a 01 6b 12 01 76");
        Request r = Request.parseFrom(wire);
        assertThat(r.getService()).isEqualTo("s");
        assertThat(r.getMethod()).isEqualTo("m");
        assertThat(r.getPayload().toByteArray()).containsExactly(1);
        assertThat(TtrpcMessages.metadata(r)).containsExactly(Map.entry("k", "v"));
        assertThat(TtrpcMessages.request("s", "m", new byte[] {1}, 0, Map.of("k", "v"))
                        .toByteArray())
                .isEqualTo(wire);
        // a repeated key keeps its first value
        Request twice = r.toBuilder()
                .addMetadata(KeyValue.newBuilder().setKey("k").setValue("w"))
                .build();
        assertThat(TtrpcMessages.metadata(twice)).containsExactly(Map.entry("k", "v"));
        // Response{status = 1 Status{code = 1 5, message = 2 "no"}}
        assertThat(TtrpcMessages.error(RpcCode.NOT_FOUND, "no").toByteArray())
                .isEqualTo(HEX.parseHex("0a 06 08 05 12 02 6e 6f"));
        // what the Go server sends on success: an empty status, then the payload
        byte[] ok = HEX.parseHex("0a 00 12 01 07");
        assertThat(TtrpcMessages.ok(new byte[] {7}).toByteArray()).isEqualTo(ok);
        Response parsed = Response.parseFrom(ok);
        assertThat(RpcCode.of(parsed.getStatus().getCode())).isEqualTo(RpcCode.OK);
        assertThat(parsed.getPayload().toByteArray()).containsExactly(7);
    }

    @Test
    void serverAnswersCallsConcurrentlyOnOneConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TtrpcService svc = new TtrpcService() {
            @Override
            public String name() {
                return "test.v1.Echo";
            }

            @Override
            public byte[] call(String method, byte[] payload, Map<String, String> md) throws TtrpcException {
                switch (method) {
                    case "Block" -> {
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return "released".getBytes(StandardCharsets.UTF_8);
                    }
                    case "Echo" -> {
                        return (md.getOrDefault("ns", "") + ":" + new String(payload, StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8);
                    }
                    default -> throw new TtrpcException(RpcCode.NOT_FOUND, "no method " + method);
                }
            }
        };
        Path sock = tmp.resolve("t.sock");
        try (TtrpcServer server = new TtrpcServer(sock, List.of(svc));
                TtrpcClient client = connectAfter(server)) {
            assertThat(Files.getPosixFilePermissions(sock)).hasSize(2); // owner read/write only
            CompletableFuture<byte[]> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.call("test.v1.Echo", "Block", new byte[0], Map.of(), Duration.ofSeconds(20));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // a blocked call (like Wait) must not hold up the others on the same connection
            byte[] echo = client.call(
                    "test.v1.Echo",
                    "Echo",
                    "hi".getBytes(StandardCharsets.UTF_8),
                    Map.of("ns", "k8s.io"),
                    Duration.ofSeconds(10));
            assertThat(new String(echo, StandardCharsets.UTF_8)).isEqualTo("k8s.io:hi");
            assertThat(blocked).isNotDone();
            release.countDown();
            assertThat(new String(blocked.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                    .isEqualTo("released");

            assertThatThrownBy(() -> client.call("test.v1.Echo", "Nope", new byte[0], Map.of(), Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(TtrpcException.class, e -> {
                        assertThat(e.code()).isEqualTo(RpcCode.NOT_FOUND);
                        assertThat(e.getMessage()).isEqualTo("no method Nope");
                    });
            assertThatThrownBy(() -> client.call("other.Svc", "X", new byte[0], Map.of(), Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(
                            TtrpcException.class, e -> assertThat(e.code()).isEqualTo(RpcCode.UNIMPLEMENTED));
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void clientCallsFailOnceTheServerIsGone() throws Exception {
        Path sock = tmp.resolve("gone.sock");
        TtrpcServer server = new TtrpcServer(sock, List.of());
        try (TtrpcClient client = connectAfter(server)) {
            server.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            IOException failure = null;
            while (failure == null && System.nanoTime() < deadline) {
                try {
                    client.call("a.B", "C", new byte[0], Map.of(), Duration.ofSeconds(1));
                } catch (IOException e) {
                    failure = e;
                } catch (TtrpcException e) {
                    Thread.sleep(20); // the close has not reached the client yet
                }
            }
            assertThat(failure).isNotNull();
        }
        assertThatThrownBy(() -> TtrpcClient.connect("unix://" + sock)).hasMessageContaining(sock.toString());
    }

    private static TtrpcClient connectAfter(TtrpcServer server) throws IOException {
        server.start();
        return TtrpcClient.connect("unix://" + server.socket());
    }
}
