package dev.wasmorch.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.registry.PortKeys;
import dev.wasmorch.shim.e2e.PrivateContainerd;
import java.io.IOException;
import java.net.ConnectException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.JedisPooled;

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
    /** Container IDs are also Redis keys: a run's own suffix keeps parallel runs apart. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = new PrivateContainerd()
            .withEnv(PortKeys.URL_ENV, REDIS_URL)
            .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
            .withEnv("WASMORCH_NODE_NAME", "functions-e2e");

    private static BackingServices services;
    private static JedisPooled redis;

    @BeforeAll
    static void importImagesAndStartServices() throws Exception {
        assumeTrue(
                Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "runc"))),
                "runc not installed: run bin/setup-test-env");
        for (Catalog.Function f : CATALOG.functions()) {
            for (String kind : List.of("wasm", "native")) {
                CONTAINERD
                        .ctr(
                                "image",
                                "import",
                                Catalog.OUT
                                        .resolve(f.name())
                                        .resolve(kind + ".tar")
                                        .toString())
                        .ok();
            }
        }
        String images = CONTAINERD.ctr("images", "ls", "-q").ok().output();
        for (Catalog.Function f : CATALOG.functions()) {
            assertThat(images).contains(image(f, "wasm"), image(f, "native"));
        }
        Files.createDirectories(CONTAINERD.dir().resolve("logs"));
        services = BackingServices.start();
        redis = new JedisPooled(URI.create(REDIS_URL));
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (services != null) {
            services.close();
        }
    }

    static Stream<String> names() {
        return CATALOG.functions().stream().map(Catalog.Function::name);
    }

    private static String image(Catalog.Function f, String kind) {
        return "docker.io/wasmorch/" + f.name() + ":" + kind;
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
        try (Container wasm = Container.wasm(f, services.environment());
                Container nat = Container.nativeServer(f, services.environment())) {
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
            try (Container wasm = Container.wasm(f, Map.of("OBJECTS_URL", elsewhere))) {
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

    /** One task on the private containerd, killed and deleted on close. */
    private record Container(String id, int port, Path logFile) implements AutoCloseable {

        /** The WASM image under the wasmorch shim; its port is the one the shim registered in Redis. */
        static Container wasm(Catalog.Function f, Map<String, String> env) throws Exception {
            String id = "fn-" + f.name() + "-wasm-" + RUN;
            Path log = CONTAINERD.dir().resolve("logs").resolve(id + ".log");
            List<String> run = new ArrayList<>(List.of(
                    "run", "-d", "--net-host", "--runtime", PrivateContainerd.RUNTIME, "--log-uri", "file://" + log));
            env.forEach((k, v) -> run.addAll(List.of("--env", k + "=" + v)));
            run.addAll(List.of(image(f, "wasm"), id));
            CONTAINERD.ctr(run.toArray(String[]::new)).ok();
            Container c = new Container(id, 0, log);
            try {
                return new Container(id, registeredPort(id), log);
            } catch (RuntimeException | Error e) {
                c.close();
                throw e;
            }
        }

        /** The native image under runc (containerd's default runtime), its server on a free port. */
        static Container nativeServer(Catalog.Function f, Map<String, String> env) throws Exception {
            String id = "fn-" + f.name() + "-native-" + RUN;
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> run = new ArrayList<>(
                    List.of("run", "-d", "--net-host", "--env", "HOST=127.0.0.1", "--env", "PORT=" + port));
            env.forEach((k, v) -> run.addAll(List.of("--env", k + "=" + v)));
            run.addAll(List.of(image(f, "native"), id));
            CONTAINERD.ctr(run.toArray(String[]::new)).ok();
            Container c = new Container(id, port, null);
            try {
                c.awaitListening();
                return c;
            } catch (Exception | Error e) {
                c.close();
                throw e;
            }
        }

        private static int registeredPort(String id) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String json;
            while ((json = redis.get(PortKeys.byContainerId(id))) == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no port registered for " + id + "; shim log:\n" + CONTAINERD.shimLog());
                }
                Thread.sleep(50);
            }
            JsonNode reg = JSON.readTree(json);
            return reg.path("port").asInt();
        }

        private void awaitListening() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try (var socket = new java.net.Socket("127.0.0.1", port)) {
                    return;
                } catch (ConnectException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the native server of " + id + " does not listen on " + port, e);
                    }
                    Thread.sleep(50);
                }
            }
        }

        /** The task's pid as containerd reports it (the server's, for runc). */
        String pid() throws Exception {
            return CONTAINERD
                    .ctr("task", "ls")
                    .ok()
                    .output()
                    .lines()
                    .filter(l -> l.startsWith(id + " "))
                    .map(l -> l.trim().split("\\s+")[1])
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no task " + id));
        }

        /** What the task wrote to stdout and stderr (the WASM tasks' log file). */
        String log() throws IOException {
            return Files.readString(logFile);
        }

        @Override
        public void close() throws Exception {
            CONTAINERD.ctr("task", "kill", "-s", "SIGKILL", id);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (CONTAINERD.ctr("task", "delete", id).exit() != 0
                    && !CONTAINERD.taskStatus(id).equals("absent")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            CONTAINERD.ctr("container", "delete", id).ok();
        }
    }
}
