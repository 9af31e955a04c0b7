package dev.wasmorch.operator.reconcile.dependent;

import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;

/** The optional Ingress routing {@code spec.ingressHost} to the app's Service. */
public final class IngressFactory {
    private IngressFactory() {}

    public static Ingress desired(WasmApp app) {
        WasmAppSpec spec = app.getSpec();
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
                .withName(DeploymentFactory.HTTP_PORT_NAME)
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
        return ingress.build();
    }

    static String tlsSecret(WasmApp app) {
        return app.getMetadata().getName() + "-tls";
    }
}
