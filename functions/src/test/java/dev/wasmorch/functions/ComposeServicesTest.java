package dev.wasmorch.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml's backing services for the functions (objects: nginx, functions-db:
 * PostgreSQL, prest: pRest). No Docker engine runs here, so the file is read as YAML and checked
 * against what the functions expect, and the nginx server block it mounts is run by the real
 * nginx (Debian's nginx-light) with only its listen address and root moved.
 */
class ComposeServicesTest {

    private static final Path ROOT = Catalog.DIR.resolve("..");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode service(String name) throws Exception {
        JsonNode s = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).at("/services/" + name);
        assertThat(s.isMissingNode()).as("service %s", name).isFalse();
        return s;
    }

    @Test
    void imagesArePinnedAndPortsStayOnLocalhost() throws Exception {
        for (String name : List.of("objects", "functions-db", "prest")) {
            JsonNode s = service(name);
            assertThat(s.get("image").asText()).as(name).matches("[a-z0-9./-]+:v?[0-9][\\w.-]*");
            for (JsonNode port : s.path("ports")) {
                assertThat(port.asText()).startsWith("127.0.0.1:${");
            }
        }
    }

    @Test
    void objectStorageServesTheObjectsReadOnly() throws Exception {
        JsonNode objects = service("objects");
        assertThat(objects.get("read_only").asBoolean()).isTrue();
        assertThat(YAML.convertValue(objects.get("volumes"), List.class))
                .containsExactlyInAnyOrder(
                        "./functions/baas/objects:/usr/share/nginx/html:ro",
                        "./functions/baas/compose/objects.conf:/etc/nginx/conf.d/default.conf:ro");
    }

    /** pRest in front of a PostgreSQL that has user-manager's database and table; no password in the file. */
    @Test
    void prestReachesUserManagersTable() throws Exception {
        JsonNode db = service("functions-db");
        assertThat(db.at("/environment/POSTGRES_DB").asText()).isEqualTo("wasmorch_fn");
        assertThat(db.at("/environment/POSTGRES_PASSWORD").asText()).isEqualTo("${FUNCTIONS_DB_PASSWORD}");
        assertThat(YAML.convertValue(db.get("volumes"), List.class))
                .contains("./functions/baas/users.sql:/docker-entrypoint-initdb.d/10-users.sql:ro");
        assertThat(Files.readString(Catalog.DIR.resolve("baas/start.sh"))).contains("$here/users.sql");

        JsonNode env = service("prest").get("environment");
        assertThat(env.get("PREST_PG_HOST").asText()).isEqualTo("functions-db");
        assertThat(env.get("PREST_PG_DATABASE").asText()).isEqualTo("wasmorch_fn");
        assertThat(env.get("PREST_PG_PASS").asText()).isEqualTo("${FUNCTIONS_DB_PASSWORD}");
        assertThat(service("prest").at("/depends_on/functions-db/condition").asText())
                .isEqualTo("service_healthy");
        // user-manager posts to DB_URL/wasmorch_fn/public/users: pRest's /DATABASE/SCHEMA/TABLE
        assertThat(Files.readString(Catalog.DIR.resolve("src/c/fn/user_manager.c")))
                .contains("/wasmorch_fn/public/users");
    }

    /** The mounted server block, run by nginx: the objects come back, anything but GET is refused. */
    @Test
    void theMountedNginxServerServesGetOnly() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx not installed: run bin/setup-test-env");
        Path dir = Files.createTempDirectory("wasmorch-compose-nginx-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String server = Files.readString(Catalog.DIR.resolve("baas/compose/objects.conf"))
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                .replace(
                        "root /usr/share/nginx/html;",
                        "root " + Catalog.DIR.resolve("baas/objects").toAbsolutePath() + ";");
        assertThat(server).contains("listen 127.0.0.1:" + port).doesNotContain("/usr/share/nginx/html");
        String user = "root".equals(System.getProperty("user.name"))
                ? "user " + Files.getOwner(Catalog.DIR.resolve("baas/objects")).getName() + ";\n"
                : "";
        Files.writeString(dir.resolve("nginx.conf"), user + """
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 16; }
                http {
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                %2$s
                }
                """.formatted(dir, server));
        Process nginx = new ProcessBuilder(
                        "nginx", "-c", dir.resolve("nginx.conf").toString(), "-p", dir + "/")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI text = URI.create("http://127.0.0.1:" + port + "/texts/sample.txt");
            HttpResponse<byte[]> get = null;
            for (int i = 0; i < 100 && get == null; i++) {
                try {
                    get = http.send(HttpRequest.newBuilder(text).build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (java.net.ConnectException e) {
                    assertThat(nginx.isAlive())
                            .as(Files.readString(dir.resolve("out.log")))
                            .isTrue();
                    Thread.sleep(100);
                }
            }
            assertThat(get).as("nginx answered").isNotNull();
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain");
            assertThat(get.body()).isEqualTo(Files.readAllBytes(Catalog.DIR.resolve("baas/objects/texts/sample.txt")));
            HttpResponse<String> put = http.send(
                    HttpRequest.newBuilder(text)
                            .timeout(Duration.ofSeconds(10))
                            .PUT(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(put.statusCode()).isEqualTo(403);
        } finally {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor();
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
