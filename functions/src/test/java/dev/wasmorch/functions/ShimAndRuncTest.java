package dev.wasmorch.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.registry.PortKeys;
import dev.wasmorch.shim.e2e.PrivateContainerd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every function as a node runs it: both images imported into a containerd of the test's own
 * (the shim's {@link PrivateContainerd}: root, state and sockets in a temp dir, never the
 * system's), the WASM image run by the wasmorch shim, the native image's server under runc as user
 * 65532, both on the host network with the real backing services (baas/start.sh). Each answers its
 * catalog request and a bad parameter with the same status, content type and body bytes;
 * user-manager's two rows (one per side, so their ids differ and only the ids) are in PostgreSQL.
 * The R functions reach their services only through the grant in their image's spin.toml
 * ({@code allowed_http_hosts} from catalog.json): the same image pointed at a host the grant does
 * not name is refused without a connection. Needs root, containerd, ctr and runc
 * (bin/setup-test-env; CI runs as root); skips visibly otherwise.
 */
class ShimAndRuncTest {

    private static final String REDIS_URL = "redis://127.0.0.1:6379/4";
    private static final Catalog CATALOG = Catalog.load();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = new PrivateContainerd()
            .withEnv(PortKeys.URL_ENV, REDIS_URL)
            .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
            .withEnv("WASMORCH_NODE_NAME", "functions-e2e");

    private static BackingServices services;
    private static FunctionTasks tasks;

    @BeforeAll
    static void importImagesAndStartServices() throws Exception {
        assumeTrue(
                Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "runc"))),
                "runc not installed: run bin/setup-test-env");
        tasks = new FunctionTasks(CONTAINERD, REDIS_URL);
        tasks.importAll(CATALOG);
        String images = tasks.images();
        for (Catalog.Function f : CATALOG.functions()) {
            assertThat(images).contains(FunctionTasks.image(f, "wasm"), FunctionTasks.image(f, "native"));
        }
        services = BackingServices.start();
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (tasks != null) {
            tasks.close();
        }
        if (services != null) {
            services.close();
        }
    }

    static Stream<String> names() {
        return CATALOG.functions().stream().map(Catalog.Function::name);
    }

    /** A status, the Content-Type and the body's bytes: what must agree between the two targets. */
    private record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void theShimsAnswerIsTheNativeImagesByteForByte(String name) throws Exception {
        Catalog.Function f = CATALOG.function(name);
        Catalog.Request r = f.request();
        List<String> bad = NativeFunctionsTest.BAD.get(name);
        try (FunctionTasks.Task wasm = tasks.wasm(f, services.environment());
                FunctionTasks.Task nat = tasks.nativeServer(f, services.environment())) {
            Answer fromWasm = send(wasm.port(), r.method(), r.query(), r.body());
            Answer fromNative = send(nat.port(), r.method(), r.query(), r.body());
            assertThat(fromWasm.status()).as(fromWasm.text()).isEqualTo(200);
            assertThat(fromWasm.contentType()).isEqualTo("application/json");
            assertThat(fromNative.contentType()).isEqualTo(fromWasm.contentType());
            if (name.equals("user-manager")) {
                long wasmId = NativeFunctionsTest.assertCreatedRow(fromWasm.text());
                long nativeId = NativeFunctionsTest.assertCreatedRow(fromNative.text());
                assertThat(wasmId).isNotEqualTo(nativeId);
                assertThat(fromNative.text().replace("\"id\":" + nativeId + ",", "\"id\":" + wasmId + ","))
                        .isEqualTo(fromWasm.text());
            } else {
                assertThat(fromWasm.body()).isEqualTo(fromNative.body());
                assertThat(fromWasm.text()).isEqualTo(NativeFunctionsTest.ANSWERS.get(name));
            }

            Answer badWasm = send(wasm.port(), r.method(), bad.get(0), bad.get(1));
            Answer badNative = send(nat.port(), r.method(), bad.get(0), bad.get(1));
            assertThat(badWasm.status()).as(badWasm.text()).isEqualTo(400);
            assertThat(badNative.status()).isEqualTo(400);
            assertThat(badWasm.body()).isEqualTo(badNative.body());
            assertThat(JSON.readTree(badWasm.body()).path("parameter").asText()).isEqualTo(bad.get(2));

            assertThat(Files.readAllLines(Path.of("/proc", nat.pid(), "status")))
                    .as("the native server runs as the image's user")
                    .anyMatch(l -> l.matches("Uid:\\s+65532\\s+65532\\s+65532\\s+65532"));
        }
    }

    /**
     * The grant is the image's: fuzzysearch's spin.toml allows {@code http://127.0.0.1}, so the
     * same image told to fetch its text from 127.0.0.2 gets "destination not allowed" (error 7) and
     * answers 502, a listener there sees no connection, and the container's stderr says why.
     */
    @Test
    void aHostTheImagesGrantDoesNotNameIsRefusedWithoutAConnection() throws Exception {
        Catalog.Function f = CATALOG.function("fuzzysearch");
        assertThat(f.allowed_http_hosts()).containsExactly("http://127.0.0.1");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
            String elsewhere = "http://127.0.0.2:" + listener.getLocalPort();
            try (FunctionTasks.Task wasm = tasks.wasm(f, Map.of("OBJECTS_URL", elsewhere))) {
                Answer a = send(wasm.port(), "GET", f.request().query(), "");
                assertThat(a.status()).as(a.text()).isEqualTo(502);
                assertThat(JSON.readTree(a.body()).path("error").asText())
                        .contains(elsewhere)
                        .contains("error 7");
                listener.setSoTimeout(200);
                try {
                    listener.accept().close();
                    throw new AssertionError("the module's request reached " + elsewhere);
                } catch (SocketTimeoutException expected) {
                    // nobody connected
                }
                assertThat(wasm.log())
                        .contains("outbound HTTP to " + elsewhere + " refused: not in allowed_http_hosts");
            }
        }
    }

    private static Answer send(int port, String method, String query, String body)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/" + (query.isEmpty() ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<byte[]> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(
                resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(""), resp.body());
    }
}
