package dev.wasmorch.operator.reconcile.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.reconcile.OperatorHarness;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The desired Deployment, field by field: a new spec field that reaches the pods is tested here. */
class DeploymentDependentTest {
    private final DeploymentDependent deployments = new DeploymentDependent();

    @Test
    void theContainerGetsTheSpecsEnvResourcesAndPullSecret() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.POD);
        app.getSpec().setEnv(List.of(new EnvVar("GREETING", "hi", null)));
        app.getSpec()
                .setResources(new ResourceRequirementsBuilder()
                        .withLimits(Map.of("memory", new Quantity("64Mi")))
                        .build());
        app.getSpec().setImagePullSecret("ghcr-pull");
        app.getSpec()
                .setTolerations(List.of(new TolerationBuilder()
                        .withKey("wasm")
                        .withOperator("Exists")
                        .build()));

        PodSpec pod = deployments.desired(app).getSpec().getTemplate().getSpec();

        Container container = pod.getContainers().get(0);
        assertThat(container.getName()).isEqualTo("hello");
        assertThat(container.getImage()).isEqualTo("ghcr.io/wasmorch/hello:1.0");
        // pod mode: the shim learns the port to listen on from the environment (CRI passes no ports)
        assertThat(container.getEnv())
                .containsExactly(new EnvVar("GREETING", "hi", null), new EnvVar(PodLabels.LISTEN_PORT_ENV, "80", null));
        assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("64Mi"));
        assertThat(pod.getImagePullSecrets()).containsExactly(new LocalObjectReference("ghcr-pull"));
        assertThat(pod.getTolerations())
                .singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("wasm"));
        assertThat(pod.getRuntimeClassName()).isEqualTo("spin");
    }

    @Test
    void podModeTellsTheShimTheWasmAppsPortOverAUsersEntryHostModeLeavesTheEnvironmentAlone() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.POD);
        app.getSpec().setPort(9090);
        app.getSpec()
                .setEnv(List.of(
                        new EnvVar(PodLabels.LISTEN_PORT_ENV, "1234", null), new EnvVar("GREETING", "hi", null)));
        assertThat(deployments
                        .desired(app)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .containsExactly(
                        new EnvVar("GREETING", "hi", null), new EnvVar(PodLabels.LISTEN_PORT_ENV, "9090", null));

        app.getSpec().setNetworkMode(NetworkMode.HOST);
        assertThat(deployments
                        .desired(app)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .containsExactly(
                        new EnvVar(PodLabels.LISTEN_PORT_ENV, "1234", null), new EnvVar("GREETING", "hi", null));
    }

    @Test
    void podModeIsTheDefault() {
        assertThat(new WasmAppSpec().getNetworkMode()).isEqualTo(NetworkMode.POD);
    }

    @Test
    void podModeOpensTheContainerPortHostModeTheHostNetwork() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.POD);
        app.getSpec().setPort(8080);
        PodSpec pod = deployments.desired(app).getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isNull();
        assertThat(pod.getContainers().get(0).getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });

        PodSpec host = deployments
                .desired(OperatorHarness.app("hello", NetworkMode.HOST))
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(host.getHostNetwork()).isTrue();
        assertThat(host.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(host.getContainers().get(0).getPorts()).isEmpty();
    }

    @Test
    void thePodsCarryTheUsersAnnotationsAndTheOperatorsOwn() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.HOST);
        app.getSpec().setAnnotations(Map.of("team", "edge"));
        app.getSpec().setOutboundHttp(true);

        Deployment deployment = deployments.desired(app);

        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("team", "edge")
                .containsEntry(Labels.RUNTIME_ANNOTATION, "wasm")
                .containsEntry(Labels.OUTBOUND_HTTP_ANNOTATION, "true");
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(app));
    }
}
