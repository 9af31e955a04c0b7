package dev.wasmorch.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every function's native server (the image's binary, run directly) answers its catalog request
 * with the known answer and refuses bad parameters with a 400 naming them, against the real
 * backing services (nginx, the pRest-compatible endpoint, PostgreSQL). ShimAndRuncTest compares
 * these answers with the WASM images' through the shim.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeFunctionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog CATALOG = Catalog.load();

    /**
     * The answers to the catalog requests. aes was cross-checked with 100 rounds of
     * {@code openssl enc -aes-128-cbc}, float-operation with Python's math module, n-body and
     * prime-numbers are the published values; the others follow from the committed inputs.
     */
    static final Map<String, String> ANSWERS = Map.of(
            "aes",
            "{\"rounds\":100,\"length\":1648,\"sha256\":\"221d9359bf4d6c0f81dc3bdef9961e4049f262b0ed748ed67231588dd0957f84\"}",
            "float-operation",
            "{\"n\":1000,\"iterations\":100000,\"result\":21377644.102157}",
            "fuzzysearch",
            "{\"text\":\"sample\",\"phrase\":\"wonderful\",\"k\":1,\"length\":1348,\"matches\":["
                    + "{\"end\":39,\"distance\":1},{\"end\":40,\"distance\":0},{\"end\":41,\"distance\":1},"
                    + "{\"end\":579,\"distance\":1},{\"end\":580,\"distance\":0},{\"end\":581,\"distance\":1},"
                    + "{\"end\":1299,\"distance\":1},{\"end\":1300,\"distance\":0},{\"end\":1301,\"distance\":1}],"
                    + "\"count\":9}",
            "linear-equations",
            "{\"n\":200,\"seed\":42,\"residual\":3.574987e-13}",
            "matmul",
            "{\"n\":128,\"seed\":42,\"checksum\":196.593750}",
            "n-body",
            "{\"steps\":1000,\"energy_before\":-0.169075164,\"energy_after\":-0.169087605}",
            "prime-numbers",
            "{\"n\":1000000,\"count\":78498,\"largest\":999983}",
            "whatlang",
            "{\"language\":\"deu\",\"confidence\":0.3422,\"trigrams\":67}");

    /** Per function: a request (query, body) with one bad parameter, and that parameter's name. */
    static final Map<String, List<String>> BAD = Map.of(
            "aes", List.of("rounds=0", "x", "rounds"),
            "float-operation", List.of("iterations=many", "", "iterations"),
            "fuzzysearch", List.of("phrase=abc&k=3", "", "k"),
            "linear-equations", List.of("n=0", "", "n"),
            "matmul", List.of("seed=-1", "", "seed"),
            "n-body", List.of("steps=1e3", "", "steps"),
            "prime-numbers", List.of("n=99999999999", "", "n"),
            "user-manager", List.of("", "{\"name\":\"Ada\"}", "email"),
            "whatlang", List.of("", "12345 67890", "body"));

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private BackingServices services;

    @BeforeAll
    void startServices() throws Exception {
        services = BackingServices.start();
    }

    @AfterAll
    void stopServices() throws Exception {
        services.close();
    }

    static Stream<String> names() {
        return CATALOG.functions().stream().map(Catalog.Function::name);
    }

    private HttpResponse<String> send(NativeServer s, String method, String path, String query, String body)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(s.uri(path, query))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @MethodSource("names")
    void answersTheCatalogRequest(String name) throws Exception {
        Catalog.Function f = CATALOG.function(name);
        Catalog.Request r = f.request();
        try (NativeServer s = NativeServer.start(f, services.environment())) {
            HttpResponse<String> resp = send(s, r.method(), r.path(), r.query(), r.body());
            assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
            assertThat(resp.headers().firstValue("Content-Type")).hasValue("application/json");
            if (name.equals("user-manager")) {
                assertCreatedRow(resp.body());
            } else {
                assertThat(resp.body()).isEqualTo(ANSWERS.get(name));
            }
            assertThat(s.stop()).as("exit status after SIGTERM").isZero();
        }
    }

    /** The row comes back as the database service created it, and it is in PostgreSQL; its id. */
    static long assertCreatedRow(String body) throws Exception {
        JsonNode row = JSON.readTree(body).get("created");
        assertThat(row.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(row.get("email").asText()).isEqualTo("ada@example.org");
        try (var db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/wasmorch_fn", "postgres", "");
                PreparedStatement q = db.prepareStatement("SELECT name, email FROM public.users WHERE id = ?")) {
            q.setLong(1, row.get("id").asLong());
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Ada Lovelace");
                assertThat(rs.getString(2)).isEqualTo("ada@example.org");
            }
        }
        return row.get("id").asLong();
    }

    @ParameterizedTest
    @MethodSource("names")
    void refusesABadParameterNamingIt(String name) throws Exception {
        Catalog.Function f = CATALOG.function(name);
        List<String> bad = BAD.get(name);
        try (NativeServer s = NativeServer.start(f, services.environment())) {
            HttpResponse<String> resp = send(s, f.request().method(), "/", bad.get(0), bad.get(1));
            assertThat(resp.statusCode()).as(resp.body()).isEqualTo(400);
            assertThat(JSON.readTree(resp.body()).get("parameter").asText()).isEqualTo(bad.get(2));
        }
    }

    /** Hostile queries and bodies: each gets an answer (never a crash) and the server lives on. */
    @ParameterizedTest
    @MethodSource("names")
    void survivesHostileInput(String name) throws Exception {
        Catalog.Function f = CATALOG.function(name);
        List<String> queries = List.of(
                "%",
                "a=%",
                "%zz=1",
                "n=%00",
                "rounds=" + "9".repeat(5000),
                "phrase=" + "a".repeat(5000),
                "phrase=%ff%fe%c3%22&k=1",
                "text=..%2F..%2Fetc%2Fpasswd",
                "&&&==&",
                "k=-1&n=-1&seed=99999999999999999999&steps=-5");
        List<String> bodies = List.of("", "{", "{\"name\":\"\\ud800\"}", "\u0000\u00ff", "x".repeat(70_000));
        try (NativeServer s = NativeServer.start(f, services.environment())) {
            for (String q : queries) {
                for (String b : bodies) {
                    String resp = raw(s, f.request().method(), "/?" + q, b);
                    assertThat(resp).as(q + " / " + b.length()).matches("(?s)HTTP/1\\.1 (200|400) .*");
                    assertThat(JSON.readTree(resp.substring(resp.indexOf("\r\n\r\n") + 4))
                                    .isObject())
                            .isTrue();
                }
            }
            assertThat(s.alive()).isTrue();
        }
    }

    @Test
    void anUnknownTextIsABadParameter() throws Exception {
        try (NativeServer s = NativeServer.start(CATALOG.function("fuzzysearch"), services.environment())) {
            HttpResponse<String> resp = send(s, "GET", "/", "text=no-such-text", "");
            assertThat(resp.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(resp.body()).get("parameter").asText()).isEqualTo("text");
        }
    }

    @Test
    void aServiceThatIsDownIsABadGatewayNotACrash() throws Exception {
        // port 9 (discard) on loopback: nothing listens there on these machines
        Map<String, String> down = Map.of("OBJECTS_URL", "http://127.0.0.1:9", "DB_URL", "http://127.0.0.1:9");
        for (String name : List.of("fuzzysearch", "whatlang", "user-manager")) {
            Catalog.Function f = CATALOG.function(name);
            try (NativeServer s = NativeServer.start(f, down)) {
                HttpResponse<String> resp = send(
                        s,
                        f.request().method(),
                        "/",
                        f.request().query(),
                        f.request().body());
                assertThat(resp.statusCode()).as(name).isEqualTo(502);
                assertThat(JSON.readTree(resp.body()).get("error").asText()).contains("127.0.0.1:9");
            }
        }
    }

    /** The OpenFaaS model: one process, and requests after the first on the same connection. */
    @Test
    void servesSeveralRequestsOnOneKeptAliveConnection() throws Exception {
        try (NativeServer s = NativeServer.start(CATALOG.function("prime-numbers"), Map.of());
                Socket socket = new Socket("127.0.0.1", s.uri("/", "").getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int n : new int[] {10, 100, 1000}) {
                out.write(("GET /?n=" + n + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String resp = readResponse(in);
                assertThat(resp).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("Connection: close");
                assertThat(resp)
                        .endsWith("\"n\":" + n + ",\"count\":"
                                + Map.of(10, 4, 100, 25, 1000, 168).get(n) + ",\"largest\":"
                                + Map.of(10, 7, 100, 97, 1000, 997).get(n) + "}");
            }
        }
    }

    /** Sends one request as written (malformed queries included, which HttpClient refuses to send). */
    private static String raw(NativeServer s, String method, String target, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", s.uri("/", "").getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            return readResponse(socket.getInputStream());
        }
    }

    /** Reads one response with a Content-Length body (what the server sends) from the stream. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0 || head.length() > 8192) {
                throw new IOException("no complete response head: " + head);
            }
            head.append((char) c);
        }
        int length = head.toString()
                .lines()
                .filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(15).trim()))
                .findFirst()
                .orElseThrow(() -> new IOException("no Content-Length: " + head));
        // strict: an answer that is not well-formed UTF-8 is not JSON, and fails the test here
        return head.toString()
                + StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(in.readNBytes(length)))
                        .toString();
    }
}
