package dev.wasmorch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the compose stack (PostgreSQL, Grafana with these dashboards,
 * Flink, Redis, the functions' nginx and pRest) is checked for consistency: the services exist with their ports, every host path
 * they mount is in the repository or produced by the build, every variable they use is documented
 * in .env.example (which holds no real secret), and Grafana's provisioning uses only what compose sets.
 */
class ComposeStackTest {

    static final Path ROOT = Path.of("..");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void composeFileIsConsistentWithTheRepositoryAndEnvExample() throws Exception {
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        JsonNode compose = YAML.readTree(text);
        JsonNode services = compose.get("services");
        assertThat(services.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "postgres",
                        "grafana",
                        "jobmanager",
                        "taskmanager",
                        "redis",
                        "objects",
                        "functions-db",
                        "prest");

        for (JsonNode service : services) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./")) {
                    Path p = ROOT.resolve(source.substring(2));
                    boolean builtByMaven = source.startsWith("./pipeline/target/");
                    assertThat(builtByMaven || Files.exists(p))
                            .as("mounted host path %s exists", source)
                            .isTrue();
                    if (builtByMaven) {
                        // the pipeline's shade plugin produces exactly this name
                        assertThat(Files.readString(ROOT.resolve("pipeline/pom.xml")))
                                .contains("<finalName>wasmorch-pipeline</finalName>")
                                .contains("<shadedClassifierName>flink</shadedClassifierName>");
                        assertThat(source).isEqualTo("./pipeline/target/wasmorch-pipeline-flink.jar");
                    }
                } else {
                    assertThat(compose.get("volumes").has(source))
                            .as("named volume %s declared", source)
                            .isTrue();
                }
            }
        }
        assertThat(ports(services.get("grafana"))).containsExactly("127.0.0.1:${GRAFANA_PORT}:3000");
        assertThat(ports(services.get("jobmanager"))).containsExactly("127.0.0.1:${FLINK_UI_PORT}:8081");
        assertThat(ports(services.get("postgres"))).containsExactly("127.0.0.1:${POSTGRES_PORT}:5432");
        assertThat(ports(services.get("redis"))).containsExactly("127.0.0.1:6379:6379");
        // the functions' backing services; functions' ComposeServicesTest checks the rest of them
        assertThat(ports(services.get("objects"))).containsExactly("127.0.0.1:${OBJECTS_PORT}:80");
        assertThat(ports(services.get("prest"))).containsExactly("127.0.0.1:${PREST_PORT}:3000");

        Set<String> documented = envExampleKeys();
        Set<String> used = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(text);
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).isNotEmpty();
        assertThat(documented).containsAll(used);
    }

    @Test
    void grafanaProvisioningUsesOnlyVariablesComposeSets() throws Exception {
        JsonNode grafanaEnv =
                YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).at("/services/grafana/environment");
        String datasource = Files.readString(ROOT.resolve("dashboards/provisioning/datasources/postgres.yaml"));
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(datasource);
        int n = 0;
        while (m.find()) {
            assertThat(grafanaEnv.has(m.group(1)))
                    .as("grafana gets %s", m.group(1))
                    .isTrue();
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(5);
        JsonNode ds = YAML.readTree(datasource).at("/datasources/0");
        assertThat(ds.get("uid").asText()).isEqualTo("wasmorch-pg");
        assertThat(ds.at("/secureJsonData/password").asText()).startsWith("${");
        JsonNode provider = YAML.readTree(
                ROOT.resolve("dashboards/provisioning/dashboards/wasmorch.yaml").toFile());
        assertThat(provider.at("/providers/0/options/path").asText()).isEqualTo("/var/lib/grafana/dashboards/wasmorch");
    }

    @Test
    void envExampleHoldsPlaceholdersOnly() throws Exception {
        for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
            if (line.contains("PASSWORD=")) {
                assertThat(line).as(line).contains("change-me");
            }
        }
        assertThat(Files.readString(ROOT.resolve(".gitignore"))).contains(".env");
    }

    private static List<String> ports(JsonNode service) {
        return YAML.convertValue(service.get("ports"), List.class);
    }

    private static Set<String> envExampleKeys() throws Exception {
        Set<String> keys = new HashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                keys.add(line.substring(0, line.indexOf('=')));
            }
        }
        return keys;
    }
}
