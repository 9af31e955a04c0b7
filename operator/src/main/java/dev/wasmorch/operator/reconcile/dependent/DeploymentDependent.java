package dev.wasmorch.operator.reconcile.dependent;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.reconcile.validate.ImageReference;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Deployment that runs a WasmApp's pods. */
public final class DeploymentDependent extends KubernetesDependent<Deployment> {
    /** The container carries the app's name; the shim's registry keys and the port lookup use it. */
    static final String HTTP_PORT_NAME = "http";

    public DeploymentDependent() {
        super(Deployment.class, Labels.MANAGED_SELECTOR);
    }

    public Deployment desired(WasmApp app) {
        WasmAppSpec spec = app.getSpec();
        String name = app.getMetadata().getName();
        boolean host = spec.getNetworkMode() == NetworkMode.HOST;

        ContainerBuilder container = new ContainerBuilder()
                .withName(name)
                .withImage(ImageReference.of(spec).reference())
                .withEnv(env(spec, host))
                .withResources(spec.getResources());
        if (!host) {
            container
                    .addNewPort()
                    .withName(HTTP_PORT_NAME)
                    .withContainerPort(spec.getPort())
                    .withProtocol("TCP")
                    .endPort();
        }

        PodSpecBuilder pod = new PodSpecBuilder()
                .withRuntimeClassName(spec.getRuntimeClass())
                .withNodeSelector(spec.getNodeSelector())
                .withTolerations(spec.getTolerations())
                .withContainers(container.build());
        if (host) {
            // Host-network pods would otherwise resolve names with the node's resolv.conf.
            pod.withHostNetwork(true).withDnsPolicy("ClusterFirstWithHostNet");
        }
        if (spec.getImagePullSecret() != null && !spec.getImagePullSecret().isEmpty()) {
            pod.withImagePullSecrets(List.of(new LocalObjectReference(spec.getImagePullSecret())));
        }

        return new DeploymentBuilder()
                .withMetadata(OwnedMeta.of(app, name))
                .withNewSpec()
                .withReplicas(spec.getReplicas())
                .withNewSelector()
                .withMatchLabels(Labels.selector(app))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Labels.of(app))
                .withAnnotations(podAnnotations(spec))
                .endMetadata()
                .withSpec(pod.build())
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * The user's environment; in pod mode also the port the shim listens on in the pod's network
     * (CRI passes no container ports to a runtime), which replaces a user's entry of that name.
     */
    private static List<EnvVar> env(WasmAppSpec spec, boolean host) {
        List<EnvVar> env = new ArrayList<>();
        if (spec.getEnv() != null) {
            spec.getEnv().stream()
                    .filter(e -> host || !PodLabels.LISTEN_PORT_ENV.equals(e.getName()))
                    .forEach(env::add);
        }
        if (!host) {
            env.add(new EnvVar(PodLabels.LISTEN_PORT_ENV, Integer.toString(spec.getPort()), null));
        }
        return env;
    }

    private static Map<String, String> podAnnotations(WasmAppSpec spec) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (spec.getAnnotations() != null) {
            annotations.putAll(spec.getAnnotations());
        }
        annotations.put(Labels.RUNTIME_ANNOTATION, PodLabels.WASM);
        annotations.put(Labels.OUTBOUND_HTTP_ANNOTATION, String.valueOf(Boolean.TRUE.equals(spec.getOutboundHttp())));
        return annotations;
    }
}
