package dev.wasmorch.experiment.kubernetes;

import static dev.wasmorch.experiment.kubernetes.FakeCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.backend.DeployException;
import dev.wasmorch.experiment.backend.Readiness;
import dev.wasmorch.experiment.model.Deployment;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.Request;
import dev.wasmorch.experiment.model.Runtime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/rbac.yaml against what the backend really asks: every request a whole cycle sends to the mock
 * API server (prepare, both runtimes, a failure, image sizes, removal, removeAll) is turned into the
 * (group, resource, verb) an API server would authorize, and must be granted; every rule the manifest
 * grants must be used, but the port-forward's (the mock cannot forward). The mock enforces no RBAC,
 * so this is what holds the manifest to the code here; K3sEndToEndTest runs it on a real server.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRbacTest {

    private static final String AGENT = "wasmorch-lab-rbac-test";

    KubernetesClient client;
    KubernetesMockServer server;

    @TempDir
    Path dir;

    @Test
    void theShippedRolesGrantWhatTheBackendAsksAndNoMore() throws Exception {
        HttpServer http = FakeCluster.function();
        FakeCluster.namespace(client);
        KubernetesConfig config =
                FakeCluster.config(http.getAddress().getPort(), Map.of(), List.of(), dir.resolve("pods.json"));
        FunctionSpec good = new FunctionSpec("good", "M", new Request("GET", "/", "", ""), List.of());
        FunctionSpec never = new FunctionSpec("never", "M", new Request("GET", "/", "", ""), List.of());
        KubernetesClient runner = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withUserAgent(AGENT)
                        .build())
                .build();
        try (FakeCluster cluster = new FakeCluster(client, Map.of("never", FakeCluster.Behaviour.NEVER_READY));
                KubernetesBackend backend = new KubernetesBackend(runner, config)) {
            backend.prepare(new Backend.Setup(
                    List.of(good, never),
                    dir,
                    new Readiness(Duration.ofMillis(10), Duration.ofSeconds(20), 1),
                    l -> {}));
            for (Runtime r : Runtime.values()) {
                Deployment d = backend.deploy(new PodSpec("good-" + r.label(), good, r, "instantiation"));
                backend.remove(d.pod());
            }
            backend.prepare(new Backend.Setup(
                    List.of(good, never),
                    dir,
                    new Readiness(Duration.ofMillis(10), Duration.ofSeconds(5), 1),
                    l -> {}));
            assertThatThrownBy(() -> backend.deploy(new PodSpec("never-c", never, Runtime.CONTAINER, "serial")))
                    .isInstanceOf(DeployException.class);
            assertThatThrownBy(() -> backend.imageSizes(good)).hasMessageContaining("size unknown");
            assertThat(backend.removeAll()).isEmpty();
            backend.collect(dir);
        } finally {
            http.stop(0);
        }

        Set<String> asked = new TreeSet<>();
        for (RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
                r != null;
                r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
            if (AGENT.equals(r.getHeader("User-Agent")) && !r.getPath().startsWith("/version")) {
                asked.add(permission(r.getMethod(), r.getPath()));
            }
        }
        Set<String> granted = granted();
        assertThat(granted).as("granted by deploy/rbac.yaml").containsAll(asked);
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(asked);
        assertThat(unused)
                .as("granted but never asked for")
                .containsExactlyInAnyOrder("/pods/portforward get", "/pods/portforward create");
    }

    /** What an API server authorizes for a request: {@code group/resource[/sub] verb}, namespaces aside. */
    static String permission(String method, String fullPath) {
        String path = fullPath.contains("?") ? fullPath.substring(0, fullPath.indexOf('?')) : fullPath;
        String[] p = path.substring(1).split("/");
        String group;
        int i;
        if (p[0].equals("api")) {
            group = "";
            i = 2;
        } else {
            group = p[1];
            i = 3;
        }
        String resource;
        String name = null;
        String sub = "";
        if (p[i].equals("namespaces") && p.length > i + 2) {
            resource = p[i + 2];
            name = p.length > i + 3 ? p[i + 3] : null;
            sub = p.length > i + 4 ? "/" + p[i + 4] : "";
        } else {
            resource = p[i];
            name = p.length > i + 1 ? p[i + 1] : null;
            if (resource.equals("namespaces") && name != null) {
                // the test's namespace stands for the manifest's
                resource = "namespaces[" + (name.equals(NS) ? "wasmorch-lab" : name) + "]";
            }
        }
        String verb = switch (method) {
            case "GET" -> name == null ? (fullPath.contains("watch=true") ? "watch" : "list") : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method;
        };
        return group + "/" + resource + sub + " " + verb;
    }

    private static Set<String> granted() throws Exception {
        Set<String> out = new TreeSet<>();
        try (InputStream in = Files.newInputStream(Path.of("deploy", "rbac.yaml"))) {
            List<HasMetadata> items = new KubernetesSerialization().unmarshal(in);
            for (HasMetadata o : items) {
                List<PolicyRule> rules =
                        o instanceof Role r ? r.getRules() : o instanceof ClusterRole c ? c.getRules() : List.of();
                for (PolicyRule rule : rules) {
                    assertThat(rule.getVerbs()).doesNotContain("*");
                    assertThat(rule.getResources()).doesNotContain("*", "secrets");
                    for (String g : rule.getApiGroups()) {
                        for (String res : rule.getResources()) {
                            for (String v : rule.getVerbs()) {
                                if (rule.getResourceNames() == null
                                        || rule.getResourceNames().isEmpty()) {
                                    out.add(g + "/" + res + " " + v);
                                } else {
                                    rule.getResourceNames().forEach(n -> out.add(g + "/" + res + "[" + n + "] " + v));
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
