package dev.wasmorch.operator.reconcile.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.reconcile.OperatorHarness;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceDependentTest {
    private final ServiceDependent services = new ServiceDependent();

    @Test
    void podModeSelectsThePodsHostModeLeavesTheEndpointsToTheSlices() {
        WasmApp pod = OperatorHarness.app("hello", NetworkMode.POD);
        assertThat(services.desired(pod).getSpec().getSelector()).isEqualTo(Labels.selector(pod));
        assertThat(services.desired(pod)
                        .getSpec()
                        .getPorts()
                        .get(0)
                        .getTargetPort()
                        .getStrVal())
                .isEqualTo("http");

        Service host = services.desired(OperatorHarness.app("hello", NetworkMode.HOST));
        assertThat(host.getSpec().getSelector()).isNullOrEmpty();
        assertThat(host.getSpec().getPorts().get(0).getTargetPort()).isNull();
    }

    @Test
    void aReplaceKeepsTheClusterIpsTheServerAllocated() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.POD);
        Service actual = services.desired(app);
        actual.getSpec().setClusterIP("10.43.0.17");
        actual.getSpec().setClusterIPs(List.of("10.43.0.17"));
        actual.getSpec().setIpFamilies(List.of("IPv4"));
        actual.getSpec().setIpFamilyPolicy("SingleStack");

        Service replacement = services.desired(app);
        services.keepAllocated(replacement, actual);

        assertThat(replacement.getSpec().getClusterIP()).isEqualTo("10.43.0.17");
        assertThat(replacement.getSpec().getClusterIPs()).containsExactly("10.43.0.17");
        assertThat(replacement.getSpec().getIpFamilies()).containsExactly("IPv4");
        assertThat(replacement.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
    }
}
