package dev.wasmorch.operator.reconcile.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.ports.PortRegistration;
import dev.wasmorch.operator.reconcile.OperatorHarness;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A registration is used only as the shim's answer for the very pod it was read for. */
class RegistrationTrustTest {
    private static final String KEY = "wasmorch:port:pod:functions/hello-a/hello";
    private final WasmApp app = app();
    private final ContainerStatus container = new ContainerStatusBuilder()
            .withName("hello")
            .withContainerID("containerd://cid-a")
            .build();

    private static WasmApp app() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.HOST);
        app.getMetadata().setUid("uid-1");
        return app;
    }

    private Pod pod(Map<String, String> labels, String hostIp, String... moreHostIps) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("hello-a")
                .withNamespace(OperatorHarness.NS)
                .withLabels(labels)
                .endMetadata()
                .withNewStatus()
                .withHostIP(hostIp)
                .withHostIPs(java.util.stream.Stream.concat(
                                java.util.stream.Stream.ofNullable(hostIp), java.util.Arrays.stream(moreHostIps))
                        .map(HostIP::new)
                        .toList())
                .endStatus()
                .build();
    }

    private Pod pod(String hostIp, String... moreHostIps) {
        return pod(Labels.of(app), hostIp, moreHostIps);
    }

    private static PortRegistration registration(String hostIp, String pod, String containerId) {
        return new PortRegistration(KEY, 41873, hostIp, OperatorHarness.NS, pod, "hello", containerId);
    }

    @Test
    void theShimsOwnAnswerIsUsed() {
        var verdict = RegistrationTrust.check(
                app, pod("10.0.0.12"), container, registration("10.0.0.12", "hello-a", "cid-a"));
        assertThat(verdict).isEqualTo(new RegistrationTrust.Verdict("10.0.0.12", null));
    }

    @Test
    void withoutHostIpThePodsHostIpIsUsed() {
        var verdict = RegistrationTrust.check(app, pod("10.0.0.12"), container, registration(null, null, null));
        assertThat(verdict.address()).isEqualTo("10.0.0.12");
    }

    @Test
    void anotherIpIsRefused() {
        var verdict = RegistrationTrust.check(
                app, pod("10.0.0.12"), container, registration("10.0.0.99", "hello-a", "cid-a"));
        assertThat(verdict.refusal())
                .isEqualTo("Redis key " + KEY
                        + ": hostIp 10.0.0.99 is not a host IP of pod functions/hello-a (10.0.0.12)");
    }

    @Test
    void anyHostIpOfADualStackNodeCountsHoweverWritten() {
        Pod pod = pod("10.0.0.12", "fd00:0:0::12");
        assertThat(RegistrationTrust.check(app, pod, container, registration("fd00::12", "hello-a", "cid-a"))
                        .address())
                .isEqualTo("fd00::12");
    }

    @Test
    void aRegistrationNamingAnotherPodOrContainerIsRefused() {
        assertThat(RegistrationTrust.check(
                                app, pod("10.0.0.12"), container, registration("10.0.0.12", "kube-apiserver", null))
                        .refusal())
                .isEqualTo("Redis key " + KEY + " was read for pod functions/hello-a but names pod \"kube-apiserver\"");
        assertThat(RegistrationTrust.check(
                                app, pod("10.0.0.12"), container, registration("10.0.0.12", "hello-a", "cid-b"))
                        .refusal())
                .endsWith("names container ID \"cid-b\"");
    }

    @Test
    void aPodWithoutTheAppsLabelsOrHostIpIsNotTrusted() {
        assertThat(RegistrationTrust.check(
                                app,
                                pod(Map.of(Labels.FUNCTION, "hello"), "10.0.0.12"),
                                container,
                                registration("10.0.0.12", "hello-a", "cid-a"))
                        .refusal())
                .startsWith("pod functions/hello-a does not carry the labels of WasmApp hello");
        assertThat(RegistrationTrust.check(app, pod((String) null), container, registration("10.0.0.12", null, null))
                        .refusal())
                .isEqualTo("pod functions/hello-a reports no host IP yet, so Redis key " + KEY + " cannot be checked");
        // A host IP that is not an IP literal is never resolved, and not trusted.
        assertThat(RegistrationTrust.check(app, pod("node.example"), container, registration(null, null, null))
                        .refused())
                .isTrue();
    }
}
