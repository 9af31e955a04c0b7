package dev.wasmorch.experiment.kubernetes;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.contract.wasmapp.WasmAppApi;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.Runtime;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects the backend writes for one pod: a WasmApp for the WASM side (the operator makes its
 * Deployment, Service and pod), a Deployment and a Service for the container side. Every one carries
 * the run's label, by which {@code removeAll} finds what a crash may have left.
 *
 * <p>A function's objects are named after it ({@code aes}; the container side {@code aes-ctr}),
 * not after the trial: the operator labels the app's pods {@code wasmorch.dev/function: <app>}, and
 * the analyzer and the streaming job take the function's name from that label. Trials of a function
 * therefore run one after the other, each removed before the next, as the runner does anyway.
 */
final class Manifests {

    /** The run a pod or object belongs to. */
    static final String RUN = PodLabels.RESERVED_PREFIX + "run";
    /** The trial (the runner's pod name) an object was made for. */
    static final String TRIAL = PodLabels.RESERVED_PREFIX + "trial";

    static final String NAME = "app.kubernetes.io/name";
    static final String CONTAINER_SUFFIX = "-ctr";

    static final ResourceDefinitionContext WASM_APPS = new ResourceDefinitionContext.Builder()
            .withGroup(WasmAppApi.GROUP)
            .withVersion(WasmAppApi.VERSION)
            .withKind(WasmAppApi.KIND)
            .withPlural(WasmAppApi.PLURAL)
            .withNamespaced(true)
            .build();

    private final KubernetesConfig config;

    Manifests(KubernetesConfig config) {
        this.config = config;
    }

    /** The name of the function's objects on a runtime. */
    static String objectName(PodSpec spec) {
        String f = spec.function().name();
        return spec.runtime() == Runtime.WASM ? f : f + CONTAINER_SUFFIX;
    }

    /** The labels that select a function's pods on a runtime. */
    Map<String, String> podSelector(PodSpec spec) {
        return spec.runtime() == Runtime.WASM
                ? Map.of(PodLabels.FUNCTION, spec.function().name(), WasmAppApi.MANAGED_BY, WasmAppApi.OPERATOR)
                : Map.of(RUN, config.runId(), NAME, objectName(spec));
    }

    /** The name of the only container of the function's pods. */
    static String container(PodSpec spec) {
        return objectName(spec);
    }

    GenericKubernetesResource wasmApp(PodSpec spec, List<EnvVar> env) {
        String image =
                KubernetesConfig.image(config.wasmImage(), spec.function().name());
        int colon = image.lastIndexOf(':');
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(WasmAppApi.REPLICAS, 1);
        s.put(WasmAppApi.OCI_IMAGE, image.substring(0, colon));
        s.put(WasmAppApi.OCI_IMAGE_TAG, image.substring(colon + 1));
        s.put(WasmAppApi.RUNTIME_CLASS, config.runtimeClass());
        s.put(WasmAppApi.NETWORK_MODE, config.networkMode());
        s.put(WasmAppApi.PORT, config.wasmPort());
        List<Map<String, String>> envList = new ArrayList<>();
        env.forEach(e -> envList.add(Map.of("name", e.getName(), "value", e.getValue())));
        s.put(WasmAppApi.ENV, envList);
        GenericKubernetesResource app = new GenericKubernetesResource();
        app.setApiVersion(WasmAppApi.API_VERSION);
        app.setKind(WasmAppApi.KIND);
        app.setMetadata(meta(spec));
        app.setAdditionalProperty("spec", s);
        return app;
    }

    Deployment deployment(PodSpec spec, List<EnvVar> env) {
        String name = objectName(spec);
        List<EnvVar> all = new ArrayList<>(env);
        all.add(new EnvVarBuilder()
                .withName("PORT")
                .withValue(Integer.toString(config.containerPort()))
                .build());
        Map<String, String> podLabels = new LinkedHashMap<>(podSelector(spec));
        podLabels.put(PodLabels.FUNCTION, spec.function().name());
        podLabels.put(PodLabels.SCENARIO, spec.scenario());
        return new DeploymentBuilder()
                .withMetadata(meta(spec))
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(podSelector(spec))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .withAnnotations(Map.of(PodLabels.RUNTIME, PodLabels.CONTAINER))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(name)
                .withImage(KubernetesConfig.image(
                        config.containerImage(), spec.function().name()))
                .withImagePullPolicy("IfNotPresent")
                .withEnv(all)
                .addNewPort()
                .withName("http")
                .withContainerPort(config.containerPort())
                .endPort()
                // Ready means the server accepts connections: the function's own request is the
                // runner's first invocation, which must not be spent on a probe.
                .withNewReadinessProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString("http"))
                .endTcpSocket()
                .withPeriodSeconds(1)
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    Service service(PodSpec spec) {
        return new ServiceBuilder()
                .withMetadata(meta(spec))
                .withNewSpec()
                .withSelector(podSelector(spec))
                .addNewPort()
                .withName("http")
                .withPort(config.containerPort())
                .withTargetPort(new IntOrString("http"))
                .endPort()
                .endSpec()
                .build();
    }

    private ObjectMeta meta(PodSpec spec) {
        return new ObjectMetaBuilder()
                .withName(objectName(spec))
                .withNamespace(config.namespace())
                .withLabels(Map.of(
                        RUN,
                        config.runId(),
                        TRIAL,
                        spec.name(),
                        PodLabels.FUNCTION,
                        spec.function().name(),
                        PodLabels.SCENARIO,
                        spec.scenario()))
                .build();
    }
}
