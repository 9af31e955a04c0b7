package dev.wasmorch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
    @Test
    void aCompleteSpecIsValid() {
        assertThat(SpecValidator.validate(OperatorHarness.app("hello", NetworkMode.HOST)))
                .isEmpty();
    }

    @Test
    void everyProblemNamesItsField() {
        WasmApp app = OperatorHarness.app("Hello_World", NetworkMode.POD);
        app.getSpec().setOciImageTag("bad tag");
        app.getSpec().setReplicas(-1);
        app.getSpec().setRuntimeClass("");
        app.getSpec().setIngressEnabled(true);
        app.getSpec().setAnnotations(Map.of("wasmorch.dev/runtime", "container"));
        assertThat(SpecValidator.validate(app))
                .containsExactly(
                        "metadata.name: must be a DNS-1035 label (lower-case letters, digits, '-', at most 63, starting with a letter), got \"Hello_World\"",
                        "spec.ociImageTag: not an image tag: \"bad tag\"",
                        "spec.replicas: must be 0 or more, got -1",
                        "spec.runtimeClass: must name a RuntimeClass, got \"\"",
                        "spec.ingressHost: a DNS host name is required when ingressEnabled is true, got nothing",
                        "spec.annotations: key \"wasmorch.dev/runtime\" is reserved for the operator");
    }
}
