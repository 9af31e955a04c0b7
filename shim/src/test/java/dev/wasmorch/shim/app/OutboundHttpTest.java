package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound HTTP host functions, driven by the outbound test app (src/test/c/outbound.c) against
 * HTTP servers on 127.0.0.1 that the test starts; nothing leaves the machine.
 */
class OutboundHttpTest {

    private static final HttpGrant LOOPBACK = HttpGrant.parse(List.of("http://127.0.0.1"));
    private static final OutboundLimits FAST = new OutboundLimits(Duration.ofMillis(700), 1 << 20, 3);

    private HttpServer server;
    private String base;
    private final AtomicInteger served = new AtomicInteger();
    private final List<String> diagnostics = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hello", ex -> {
            ex.getResponseHeaders().add("X-Test", "abc");
            respond(ex, 201, "hello outbound".getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/echo", ex -> {
            String got = ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            respond(ex, 200, got.getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/bytes", ex -> {
            int n = Integer.parseInt(ex.getRequestURI().getQuery());
            ex.sendResponseHeaders(200, n);
            try (OutputStream out = ex.getResponseBody()) {
                byte[] block = new byte[8192];
                java.util.Arrays.fill(block, (byte) 'x');
                for (int left = n; left > 0; left -= block.length) {
                    out.write(block, 0, Math.min(left, block.length));
                }
            } catch (IOException e) {
                // the client gave up at its cap: expected
            }
        });
        server.createContext("/slow", ex -> {
            sleep(5000);
            respond(ex, 200, "late".getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/trickle", ex -> {
            ex.sendResponseHeaders(200, 50);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write('t');
                    out.flush();
                    sleep(100);
                }
            } catch (IOException e) {
                // the client gave up at its time limit: expected
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        served.incrementAndGet();
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String call(HttpGrant grant, OutboundLimits limits, String url, String... options) throws Exception {
        WasmComponent c = WasmComponent.compile("outbound", TestApps.module("outbound"), 16L << 20);
        Map<String, String> env = new HashMap<>();
        env.put("QUERY_STRING", url);
        for (int i = 0; i < options.length; i += 2) {
            env.put(options[i], options[i + 1]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var outcome = c.run(
                List.of("outbound"),
                env,
                Map.of(),
                java.io.InputStream.nullInputStream(),
                out,
                OutputStream.nullOutputStream(),
                "_start",
                null,
                new OutboundHttp(grant, limits, OutboundClient.NODE, diagnostics::add));
        assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAllowedHostAnswersWithStatusHeadersAndBody() throws Exception {
        String out = call(LOOPBACK, FAST, base + "/hello", "OUT_HEADER", "x-TEST", "OUT_CHUNK", "3");
        assertThat(out)
                .contains("req=0 status=201\n")
                .contains("header=0 abc\n")
                .contains("x-test:abc\n")
                .contains("content-length:14\n")
                .contains("hello outbound\nbody=0 bytes=14\n")
                .contains("read_other=1\n", "close=0\n", "read_closed=1\n", "close_again=1\n");
    }

    @Test
    void methodHeadersAndBodyReachTheServer() throws Exception {
        String out = call(
                LOOPBACK,
                FAST,
                base + "/echo",
                "OUT_METHOD",
                "POST",
                "OUT_HEADERS",
                "Content-Type:application/json\n",
                "OUT_BODY",
                "{\"a\":1}");
        assertThat(out).contains("req=0 status=200\n").contains("POST application/json {\"a\":1}\nbody=0 bytes=");
    }

    @Test
    void aHostNotGrantedIsRefusedWithoutAConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/x";
            for (HttpGrant grant : List.of(
                    HttpGrant.NONE,
                    HttpGrant.parse(List.of("http://localhost", "https://example.com")),
                    HttpGrant.parse(List.of("http://127.0.0.1:" + (listener.getLocalPort() + 1))))) {
                assertThat(call(grant, FAST, url)).contains("req=7 status=0\n", "read_unopened=1\n");
            }
            listener.setSoTimeout(300);
            assertThatThrownBy(listener::accept).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(diagnostics).allMatch(d -> d.contains("refused: not in allowed_http_hosts"));
    }

    @Test
    void aGrantedPortOrTheWildcardAllows() throws Exception {
        int port = server.getAddress().getPort();
        assertThat(call(HttpGrant.parse(List.of("127.0.0.1:" + port)), FAST, base + "/hello"))
                .contains("req=0 status=201\n");
        assertThat(call(HttpGrant.parse(List.of("insecure:allow-all")), FAST, base + "/hello"))
                .contains("req=0 status=201\n");
    }

    @Test
    void badUrlsAndMethodsAreRefusedBeforeAnyRequest() throws Exception {
        assertThat(call(LOOPBACK, FAST, "not a url")).contains("req=10 ");
        assertThat(call(LOOPBACK, FAST, "ftp://127.0.0.1/x")).contains("req=10 ");
        assertThat(call(LOOPBACK, FAST, base + "/hello", "OUT_METHOD", "GE T")).contains("req=8 ");
        assertThat(call(LOOPBACK, FAST, base + "/hello", "OUT_HEADERS", "no colon here\n"))
                .contains("req=9 ");
        assertThat(served).hasValue(0);
    }

    @Test
    void aSlowResponseIsCutAtTheTimeLimit() throws Exception {
        for (String path : List.of("/slow", "/trickle")) {
            long t0 = System.nanoTime();
            assertThat(call(LOOPBACK, FAST, base + path)).contains("req=11 status=0\n");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(3000));
        }
        assertThat(diagnostics).hasSize(2).allMatch(d -> d.contains("no complete response within 700 ms"));
    }

    @Test
    void aHugeResponseIsCutAtTheCap() throws Exception {
        int cap = FAST.maxResponseBytes();
        assertThat(call(LOOPBACK, FAST, base + "/bytes?" + cap, "OUT_QUIET", "1", "OUT_CHUNK", "65536"))
                .contains("req=0 status=200\n", "body=0 bytes=" + cap + "\n");
        assertThat(call(LOOPBACK, FAST, base + "/bytes?" + (64 << 20), "OUT_QUIET", "1"))
                .contains("req=11 status=0\n");
        assertThat(diagnostics).anyMatch(d -> d.contains("response body larger than the cap of " + cap + " bytes"));
    }

    @Test
    void aBufferTooSmallForTheHeaderAndUnknownHeadersAreErrors() throws Exception {
        assertThat(call(LOOPBACK, FAST, base + "/hello", "OUT_HEADER", "X-Test", "OUT_HEADER_BUF", "2"))
                .contains("header=4 \n");
        assertThat(call(LOOPBACK, FAST, base + "/hello", "OUT_HEADER", "X-Missing"))
                .contains("header=5 \n");
    }

    @Test
    void pointersOutsideMemoryAreErrorsNotCrashes() throws Exception {
        assertThat(call(LOOPBACK, FAST, base + "/hello", "OUT_BADPTR", "1"))
                .contains("url_outside=4\n", "status_outside=3\n");
    }

    @Test
    void anInstanceHoldsAtMostTheSessionLimit() throws Exception {
        assertThat(call(LOOPBACK, FAST, base + "/hello", "OUT_KEEP", "3"))
                .contains("keep0=0\n", "keep1=0\n", "keep2=0\n", "req=13 status=0\n");
    }

    @Test
    void theModulesRequestTimeLimitEndsAWaitingRequest(@TempDir Path dir) throws Exception {
        TestApps.app(dir, "/out=outbound");
        Files.writeString(
                dir.resolve("spin.toml"),
                Files.readString(dir.resolve("spin.toml")) + "allowed_outbound_hosts = [\"http://127.0.0.1\"]\n");
        var settings = new ShimSettings(
                AppHarness.REDIS_URL,
                null,
                null,
                "127.0.0.1",
                16L << 20,
                Duration.ofMillis(1000),
                "node-test",
                null,
                new OutboundLimits(Duration.ofSeconds(30), 1 << 20, 4),
                null);
        try (AppHarness harness = new AppHarness(settings, AppHarness.REDIS_URL);
                RunningApp app = harness.start("c-out", dir)) {
            assertThat(harness.get(app, "/out?" + base + "/hello").body()).contains("req=0 status=201\n");
            long t0 = System.nanoTime();
            var slow = harness.get(app, "/out?" + base + "/slow");
            assertThat(slow.statusCode()).isEqualTo(504);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(4000));
            assertThat(harness.stdoutText())
                    .contains("component outbound may send HTTP requests to [http://127.0.0.1]");
        }
    }
}
