package dev.wasmorch.operator.reconcile.dependent;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;

/**
 * The Service in front of a WasmApp. Pod mode selects the pods; host mode has no selector, its
 * EndpointSlices (one per pod, each with that pod's shim port) come from {@link EndpointSliceFactory}.
 */
public final class ServiceFactory {
    private ServiceFactory() {}

    public static Service desired(WasmApp app) {
        int port = app.getSpec().getPort();
        ServicePortBuilder servicePort = new ServicePortBuilder()
                .withName(DeploymentFactory.HTTP_PORT_NAME)
                .withPort(port)
                .withProtocol("TCP")
                .withAppProtocol("http");
        boolean pod = app.getSpec().getNetworkMode() == NetworkMode.POD;
        if (pod) {
            servicePort.withTargetPort(new IntOrString(DeploymentFactory.HTTP_PORT_NAME));
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
}
