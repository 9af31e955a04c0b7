package dev.wasmorch.operator.reconcile.dependent;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;

/**
 * The Service in front of a WasmApp. Pod mode selects the pods; host mode has no selector, its
 * EndpointSlices (one per pod, each with that pod's shim port) come from {@link
 * EndpointSliceDependent}.
 */
public final class ServiceDependent extends KubernetesDependent<Service> {
    public ServiceDependent() {
        super(Service.class, Labels.MANAGED_SELECTOR);
    }

    public Service desired(WasmApp app) {
        int port = app.getSpec().getPort();
        ServicePortBuilder servicePort = new ServicePortBuilder()
                .withName(DeploymentDependent.HTTP_PORT_NAME)
                .withPort(port)
                .withProtocol("TCP")
                .withAppProtocol("http");
        boolean pod = app.getSpec().getNetworkMode() == NetworkMode.POD;
        if (pod) {
            servicePort.withTargetPort(new IntOrString(DeploymentDependent.HTTP_PORT_NAME));
        }
        return new ServiceBuilder()
                .withMetadata(OwnedMeta.of(app, app.getMetadata().getName()))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(pod ? Labels.selector(app) : null)
                .withPorts(servicePort.build())
                .endSpec()
                .build();
    }

    /** The cluster IPs and their families, which the API server allocates and never lets a client unset. */
    @Override
    void keepAllocated(Service replacement, Service actual) {
        if (actual.getSpec() != null) {
            replacement.getSpec().setClusterIP(actual.getSpec().getClusterIP());
            replacement.getSpec().setClusterIPs(actual.getSpec().getClusterIPs());
            replacement.getSpec().setIpFamilies(actual.getSpec().getIpFamilies());
            replacement.getSpec().setIpFamilyPolicy(actual.getSpec().getIpFamilyPolicy());
        }
    }
}
