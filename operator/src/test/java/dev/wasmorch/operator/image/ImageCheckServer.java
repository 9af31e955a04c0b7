package dev.wasmorch.operator.image;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * The API server for {@code operator/image/offline-image.sh --check}: a fabric8 mock server (CRUD)
 * on 127.0.0.1:PORT holding the CRD, the RuntimeClass and one pod-mode WasmApp. It writes a
 * kubeconfig for the operator in the container and exits 0 once that operator has created the
 * app's Deployment with a Ready condition in the status, 1 if not within the given seconds.
 *
 * <p>Usage: {@code ImageCheckServer PORT KUBECONFIG_OUT SECONDS}
 */
public final class ImageCheckServer {
    private static final String NS = "functions";

    private ImageCheckServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path kubeconfig = Path.of(args[1]);
        long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.start(InetAddress.getLoopbackAddress(), port);
        try (KubernetesClient client = server.createClient()) {
            client.resource(client.getKubernetesSerialization()
                            .unmarshal(
                                    ImageCheckServer.class.getResourceAsStream(
                                            "/META-INF/fabric8/wasmapps.wasmorch.dev-v1.yml"),
                                    CustomResourceDefinition.class))
                    .create();
            client.resource(new RuntimeClassBuilder()
                            .withNewMetadata()
                            .withName("spin")
                            .endMetadata()
                            .withHandler("spin")
                            .build())
                    .create();
            WasmApp app = new WasmApp();
            app.setMetadata(
                    new ObjectMetaBuilder().withName("hello").withNamespace(NS).build());
            WasmAppSpec spec = new WasmAppSpec();
            spec.setOciImage("ghcr.io/wasmorch/hello");
            spec.setOciImageTag("1.0");
            spec.setNetworkMode(NetworkMode.POD);
            app.setSpec(spec);
            client.resource(app).create();
            Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
          contexts: [{name: mock, context: {cluster: mock, namespace: %s, user: operator}}]
          current-context: mock
          users: [{name: operator, user: {}}]
          """.formatted(port, NS), StandardCharsets.UTF_8);
            System.out.printf(
                    "mock API server on 127.0.0.1:%d, kubeconfig %s; waiting for the operator%n", port, kubeconfig);
            while (System.nanoTime() < deadline) {
                Deployment deployment = client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("hello")
                        .get();
                WasmApp seen = client.resource(app).get();
                if (deployment != null
                        && seen.getStatus() != null
                        && !seen.getStatus().getConditions().isEmpty()) {
                    System.out.printf(
                            "the operator created Deployment hello (image %s) and wrote the status (%s)%n",
                            deployment
                                    .getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getImage(),
                            seen.getStatus().getConditions().stream()
                                    .map(c -> c.getType() + "=" + c.getStatus())
                                    .toList());
                    System.exit(0);
                }
                Thread.sleep(500);
            }
            System.out.println("no Deployment from the operator in time");
            System.exit(1);
        } finally {
            server.shutdown();
        }
    }
}
