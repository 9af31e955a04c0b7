package dev.wasmorch.operator.reconcile.dependent;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.reconcile.status.EventRecorder;
import dev.wasmorch.operator.reconcile.write.ChildApplier;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.Optional;

/** The optional Ingress routing {@code spec.ingressHost} to the app's Service. */
public final class IngressDependent extends KubernetesDependent<Ingress> {
    public IngressDependent() {
        super(Ingress.class, Labels.MANAGED_SELECTOR);
    }

    /** The Ingress, or none when {@code spec.ingressEnabled} is not true. */
    public Optional<Ingress> desired(WasmApp app) {
        WasmAppSpec spec = app.getSpec();
        if (!Boolean.TRUE.equals(spec.getIngressEnabled())) {
            return Optional.empty();
        }
        String name = app.getMetadata().getName();
        IngressBuilder ingress = new IngressBuilder()
                .withMetadata(OwnedMeta.of(app, name))
                .withNewSpec()
                .withIngressClassName(
                        spec.getIngressClass() == null || spec.getIngressClass().isEmpty()
                                ? null
                                : spec.getIngressClass())
                .addNewRule()
                .withHost(spec.getIngressHost())
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName(name)
                .withNewPort()
                .withName(DeploymentDependent.HTTP_PORT_NAME)
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec();
        if (Boolean.TRUE.equals(spec.getIngressTlsEnabled())) {
            ingress.editSpec()
                    .withTls(new IngressTLSBuilder()
                            .withHosts(spec.getIngressHost())
                            .withSecretName(tlsSecret(app))
                            .build())
                    .endSpec();
        }
        return Optional.of(ingress.build());
    }

    /** The write that creates or syncs the Ingress, deletes it when switched off, or none. */
    public Optional<Runnable> write(
            WasmApp app, Optional<Ingress> desired, Ingress actual, ChildApplier applier, EventRecorder.Batch notes) {
        if (desired.isPresent()) {
            return Optional.of(write(app, desired.get(), actual, applier, notes));
        }
        if (actual == null) {
            return Optional.empty();
        }
        return Optional.of(() -> {
            applier.delete(actual);
            notes.record(
                    EventRecorder.NORMAL,
                    "Deleted",
                    "Deleted Ingress " + actual.getMetadata().getName() + " (ingressEnabled is false)");
        });
    }

    static String tlsSecret(WasmApp app) {
        return app.getMetadata().getName() + "-tls";
    }
}
