package dev.wasmorch.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** baas/start.sh's two services, as the functions (and a real pRest's clients) see them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackingServicesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private BackingServices services;

    @BeforeAll
    void start() throws Exception {
        services = BackingServices.start();
    }

    @AfterAll
    void stop() throws Exception {
        services.close();
    }

    private HttpResponse<String> send(String service, String path, String method, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(services.environment().get(service) + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void objectStorageServesTheObjectsReadOnly() throws Exception {
        HttpResponse<String> text = send("OBJECTS_URL", "/texts/sample.txt", "GET", "");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body()).isEqualTo(Files.readString(Catalog.DIR.resolve("baas/objects/texts/sample.txt")));
        assertThat(send("OBJECTS_URL", "/texts/none.txt", "GET", "").statusCode())
                .isEqualTo(404);
        assertThat(send("OBJECTS_URL", "/texts/sample.txt", "PUT", "x").statusCode())
                .isEqualTo(403);
        assertThat(send("OBJECTS_URL", "/../start.sh", "GET", "").statusCode()).isIn(400, 404);
    }

    @Test
    void theDatabaseServiceInsertsOneRowAndAnswersIt() throws Exception {
        HttpResponse<String> created = send(
                "DB_URL", "/wasmorch_fn/public/users", "POST", "{\"name\":\"Grace \\u00e9\",\"email\":\"g@h.org\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode row = JSON.readTree(created.body());
        assertThat(row.get("name").asText()).isEqualTo("Grace é");
        assertThat(row.get("email").asText()).isEqualTo("g@h.org");
        assertThat(row.get("id").asLong()).isPositive();
    }

    @Test
    void theDatabaseServiceRefusesBadRequestsClearly() throws Exception {
        String users = "/wasmorch_fn/public/users";
        assertBad(send("DB_URL", users, "POST", "{\"name\":"), 400, "body");
        assertBad(send("DB_URL", users, "POST", "[1]"), 400, "body");
        assertBad(send("DB_URL", users, "POST", "{\"name\":\"x\",\"email\":\"y\",\"role\":\"admin\"}"), 400, "role");
        assertBad(send("DB_URL", users, "POST", "{\"name\":\"x\",\"email\":\"y\",\"a;b\":1}"), 400, "a;b");
        // a value the column refuses: the client's fault, not the server's
        assertThat(send("DB_URL", users, "POST", "{\"id\":\"abc\",\"name\":\"x\",\"email\":\"y\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("DB_URL", users, "POST", "{\"email\":\"y\"}").statusCode())
                .isEqualTo(400);
        assertThat(send("DB_URL", "/wasmorch_fn/public/nothing", "POST", "{}").statusCode())
                .isEqualTo(404);
        assertThat(send("DB_URL", "/no_such_db/public/users", "POST", "{}").statusCode())
                .isEqualTo(404);
        assertThat(send("DB_URL", "/wasmorch_fn/public/users;drop", "POST", "{}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("DB_URL", users, "GET", "").statusCode()).isEqualTo(405);
    }

    private static void assertBad(HttpResponse<String> resp, int status, String parameter) throws Exception {
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(status);
        assertThat(JSON.readTree(resp.body()).get("parameter").asText()).isEqualTo(parameter);
    }
}
