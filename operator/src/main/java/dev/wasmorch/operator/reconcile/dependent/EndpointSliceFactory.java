package dev.wasmorch.operator.reconcile.dependent;

import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

/**
 * One EndpointSlice per host-network pod. A slice's ports apply to all its endpoints, and every pod
 * has its own shim-chosen port, so a pod cannot share a slice; kube-proxy joins the slices of the
 * Service by the port name.
 */
public final class EndpointSliceFactory {
    private static final String PREFIX = "wasmorch-";

    private EndpointSliceFactory() {}

    public static String nameFor(Pod pod) {
        return PREFIX + pod.getMetadata().getName();
    }

    public static EndpointSlice desired(WasmApp app, Pod pod, String address, int port, boolean ready) {
        EndpointSlice slice = new EndpointSliceBuilder()
                .withMetadata(OwnedMeta.of(app, nameFor(pod)))
                .withAddressType(address.contains(":") ? "IPv6" : "IPv4")
                .addNewEndpoint()
                .withAddresses(address)
                .withNewConditions()
                .withReady(ready)
                .withServing(ready)
                .withTerminating(false)
                .endConditions()
                .withNodeName(pod.getSpec() == null ? null : pod.getSpec().getNodeName())
                .withTargetRef(new ObjectReferenceBuilder()
                        .withKind("Pod")
                        .withNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid())
                        .build())
                .endEndpoint()
                .addNewPort()
                .withName(DeploymentFactory.HTTP_PORT_NAME)
                .withPort(port)
                .withProtocol("TCP")
                .withAppProtocol("http")
                .endPort()
                .build();
        slice.getMetadata()
                .getLabels()
                .put(Labels.SERVICE_NAME, app.getMetadata().getName());
        slice.getMetadata().getLabels().put(Labels.SLICE_MANAGED_BY, Labels.SLICE_MANAGER);
        return slice;
    }

    /** {@code host:port}, brackets around IPv6 hosts. */
    public static String hostPort(EndpointSlice slice) {
        String address = slice.getEndpoints().get(0).getAddresses().get(0);
        int port = slice.getPorts().get(0).getPort();
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }
}
