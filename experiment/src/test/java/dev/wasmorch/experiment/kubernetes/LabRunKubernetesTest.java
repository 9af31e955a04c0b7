package dev.wasmorch.experiment.kubernetes;

import static dev.wasmorch.experiment.kubernetes.FakeCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.wasmorch.experiment.cli.LabCli;
import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.results.Layout;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lab run --backend kubernetes} as a user runs it, from the command line through a kubeconfig,
 * against fabric8's mock API server in CRUD mode (no cluster runs on CI), with {@link FakeCluster}
 * playing the operator, the controllers and the kubelet; the function answers from a real HTTP
 * server on 127.0.0.1, where the fake points the Services, and the real hey measures it.
 */
@EnableKubernetesMockClient(crud = true)
class LabRunKubernetesTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    private HttpServer http;
    private FakeCluster cluster;

    @BeforeEach
    void start() throws Exception {
        http = FakeCluster.function();
        FakeCluster.namespace(client);
        cluster = new FakeCluster(client, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        http.stop(0);
        assertThat(cluster.error()).as("the fake cluster's own failure").isNull();
    }

    @Test
    @Timeout(120)
    void aRunThroughTheCommandLineWritesTheStudysLayoutAndAccountsForEveryPod() throws Exception {
        Path nodeLog = dir.resolve("node1.log");
        Files.writeString(nodeLog, "{\"MESSAGE\":\"a node's line\"}\n");
        Path out = dir.resolve("out");

        Result r = run(arguments(
                "run",
                out,
                "--kubeconfig",
                kubeconfig("other").toString(),
                "--context",
                "mock",
                "--node-log",
                "node1=file:" + nodeLog));

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("kubernetes: namespace lab", "run complete", "results in " + out);
        Layout layout = new Layout(out);
        for (Runtime rt : Runtime.values()) {
            List<String> rows = Files.readAllLines(layout.instantiation(rt));
            assertThat(rows).hasSize(1 + 2);
            assertThat(Files.readAllLines(layout.firstInvocation("aes", rt)))
                    .hasSize(1 + 2)
                    .allSatisfy(l -> assertThat(l).doesNotContain(",500,"));
        }
        assertThat(Files.exists(layout.failures())).as("no failure").isFalse();
        ObjectMapper json = new ObjectMapper();
        JsonNode pods = json.readTree(layout.pods().toFile()).get("items");
        assertThat(pods).hasSize(2 * 2);
        List<String> runtimeClasses = new ArrayList<>();
        pods.forEach(p -> {
            assertThat(p.at("/metadata/namespace").asText()).isEqualTo(NS);
            assertThat(p.at("/metadata/uid").asText()).isNotEmpty();
            assertThat(p.at("/metadata/labels/wasmorch.dev~1function").asText()).isEqualTo("aes");
            runtimeClasses.add(p.at("/spec/runtimeClassName").asText());
        });
        assertThat(runtimeClasses).containsExactlyInAnyOrder("wasmorch", "wasmorch", "runc", "runc");
        // the pods as the API showed them, and the node's log beside the results
        JsonNode clusterPods = json.readTree(out.resolve("cluster-pods.json").toFile());
        assertThat(clusterPods.get("items")).hasSize(2 * 2);
        assertThat(Files.readString(layout.lifecycleDir().resolve("node1.log"))).contains("a node's line");
        JsonNode meta = json.readTree(layout.metadata().toFile());
        assertThat(meta.get("complete").asBoolean()).isTrue();
        assertThat(meta.at("/counts/pods").asLong()).isEqualTo(4);
        assertThat(meta.at("/counts/pods_ready").asLong()).isEqualTo(4);
        assertThat(meta.at("/counts/failures").asLong()).isZero();
        assertThat(meta.at("/backend/kubernetes.namespace").asText()).isEqualTo(NS);
        assertThat(meta.at("/backend/kubernetes.access").asText()).isEqualTo("service");
        // the run left nothing of itself in the namespace
        assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
        assertThat(client.apps().deployments().inNamespace(NS).list().getItems())
                .isEmpty();
        assertThat(client.genericKubernetesResources(Manifests.WASM_APPS)
                        .inNamespace(NS)
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    @Timeout(120)
    void aStreamedRunStartsTheJobBesideThePodsAndStopsItAfterTheLast() throws Exception {
        Path out = dir.resolve("out");
        Path mark = dir.resolve("job.txt");
        Path kubeconfig = kubeconfig("mock");
        Path analyzer = dir.resolve("analyzer.sh");
        // the analyzer's stand-in: says what it was given and when it was stopped
        Files.writeString(analyzer, """
                #!/bin/sh
                trap 'echo stopped >> %1$s; exit 0' TERM
                echo "$* KUBECONFIG=$KUBECONFIG" >> %1$s
                echo "wasmorch stream: following [$3], writing to db"
                while true; do sleep 0.1; done
                """.formatted(mark));
        Files.setPosixFilePermissions(analyzer, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

        Result r = run(arguments(
                "stream",
                out,
                "--kubeconfig",
                kubeconfig.toString(),
                "--analyzer",
                analyzer.toString(),
                "--",
                "--jdbc-url",
                "jdbc:postgresql://db/lab?password=secret",
                "--jdbc-user",
                "lab"));

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err())
                .contains("starting the streaming job (its output: " + out.resolve("stream.log"), "run complete")
                .doesNotContain("secret");
        Layout layout = new Layout(out);
        assertThat(Files.readAllLines(mark))
                .containsExactly(
                        String.join(
                                " ",
                                "stream --logs " + layout.lifecycleDir(),
                                "--parallelism 1 --stats-every PT5S",
                                "--name-pattern instantiation=^(?<function>.+)-(wasm|ctr)-i-[0-9]+(-a[0-9]+)?$",
                                "--name-pattern serial=^(?<function>.+)-(wasm|ctr)-s-[0-9]+(-a[0-9]+)?$",
                                "--name-pattern concurrent=^(?<function>.+)-(wasm|ctr)-c-[0-9]+(-a[0-9]+)?$",
                                "--kube --namespace " + NS + " --archive " + out.resolve("pods-archive.jsonl"),
                                "--jdbc-url jdbc:postgresql://db/lab?password=secret --jdbc-user lab",
                                "KUBECONFIG=" + kubeconfig),
                        "stopped");
        assertThat(Files.readString(out.resolve("stream.log"))).contains("wasmorch stream: following");
        assertThat(new ObjectMapper()
                        .readTree(layout.metadata().toFile())
                        .get("complete")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aStreamedRunRefusesAContextItsJobWouldNotUseAndOptionsItSetsItself() throws Exception {
        String kubeconfig = kubeconfig("other").toString();
        Result context = run(arguments(
                "stream", dir.resolve("out1"), "--kubeconfig", kubeconfig, "--context", "mock", "--", "--jdbc-url=x"));
        Result logs = run(arguments(
                "stream", dir.resolve("out2"), "--kubeconfig", kubeconfig, "--", "--jdbc-url=x", "--logs=/var/log"));

        assertThat(List.of(context.code(), logs.code())).containsOnly(2);
        assertThat(context.err()).contains("--context mock: lab stream's job reads the kubeconfig's current context");
        assertThat(logs.err()).contains("after --: --logs=/var/log is set by lab stream itself");
    }

    /** A kubeconfig with the mock (context "mock") and a cluster nowhere (context "other"). */
    private Path kubeconfig(String current) throws IOException {
        Path kubeconfig = dir.resolve("kubeconfig-" + current);
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: lab, user: {token: lab-token}}]
                contexts: [{name: other, context: {cluster: nowhere, user: lab}}, {name: mock, context: {cluster: mock, user: lab}}]
                current-context: %s
                """.formatted(client.getMasterUrl(), current));
        return kubeconfig;
    }

    /** lab COMMAND on the mock: aes, instantiation, 2 repetitions, served by the test's HTTP server; then EXTRA. */
    private String[] arguments(String command, Path out, String... extra) {
        String port = Integer.toString(http.getAddress().getPort());
        List<String> args = new ArrayList<>(List.of(
                command,
                "--backend",
                "kubernetes",
                "--namespace",
                NS,
                "--access",
                "service",
                "--wasm-port",
                port,
                "--container-port",
                port,
                "--network-mode",
                "pod",
                "--catalog",
                Path.of("..", "functions", "catalog.json").toString(),
                "--functions",
                "aes",
                "--scenarios",
                "instantiation",
                "--repetitions",
                "2",
                "--readiness-timeout",
                "30s",
                "--no-report",
                "--out",
                out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    record Result(int code, String err) {}

    /** The command line as bin/wasmorch lab runs it; the runner's progress goes to stderr. */
    private static Result run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new LabCli()).execute(args);
            return new Result(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
