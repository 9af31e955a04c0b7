package dev.wasmorch.operator.reconcile.dependent;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.reconcile.observe.HostEndpoints;
import dev.wasmorch.operator.reconcile.status.EventRecorder;
import dev.wasmorch.operator.reconcile.write.ChildApplier;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One EndpointSlice per host-network pod, a bulk dependent in JOSDK's terms. A slice's ports apply
 * to all its endpoints, and every pod has its own shim-chosen port, so a pod cannot share a slice;
 * kube-proxy joins the slices of the Service by the port name.
 */
public final class EndpointSliceDependent extends KubernetesDependent<EndpointSlice> {
    private static final String PREFIX = "wasmorch-";

    /**
     * @param desired slices by name that should exist
     * @param kept existing slices left as they are because their pod's port could not be read now
     *     (Redis down): the shim still serves on it, so dropping it would cut traffic for nothing
     */
    public record Slices(Map<String, EndpointSlice> desired, Map<String, EndpointSlice> kept) {
        /** host:port of the ready endpoints among the desired and the kept slices, sorted. */
        public List<String> readyEndpoints() {
            List<String> endpoints = new ArrayList<>();
            for (Map<String, EndpointSlice> group : List.of(desired, kept)) {
                group.values().stream()
                        .filter(s -> Boolean.TRUE.equals(
                                s.getEndpoints().get(0).getConditions().getReady()))
                        .map(EndpointSliceDependent::hostPort)
                        .forEach(endpoints::add);
            }
            endpoints.sort(null);
            return endpoints;
        }
    }

    public EndpointSliceDependent() {
        super(EndpointSlice.class, Labels.SLICE_MANAGED_BY + "=" + Labels.SLICE_MANAGER);
    }

    /** The slices of the pods whose port was read, and the existing ones of the pods whose port was not. */
    public Slices desired(WasmApp app, HostEndpoints.Ports ports, Map<String, EndpointSlice> existing) {
        Map<String, EndpointSlice> desired = new HashMap<>();
        ports.endpoints().forEach(endpoint -> desired.put(nameFor(endpoint.pod()), slice(app, endpoint)));
        Map<String, EndpointSlice> kept = new HashMap<>();
        for (Pod pod : ports.unread()) {
            EndpointSlice slice = existing.get(nameFor(pod));
            if (slice != null) {
                kept.put(nameFor(pod), slice);
            }
        }
        return new Slices(desired, kept);
    }

    /**
     * Writes of the desired slices and removals of the others (their pods vanished, or the app runs
     * in pod mode), in one task one after another: an app with many pods must not take the shared
     * write pool from the other reconciliations (see OperatorRuntime). None when there is nothing
     * to write.
     */
    public Optional<Runnable> write(
            WasmApp app,
            Slices slices,
            Map<String, EndpointSlice> existing,
            ChildApplier applier,
            EventRecorder.Batch notes) {
        List<Runnable> writes = new ArrayList<>();
        slices.desired()
                .forEach((name, slice) -> writes.add(() -> {
                    if (apply(applier, app, slice, existing.get(name)) != ChildApplier.Outcome.UNCHANGED) {
                        notes.record(
                                EventRecorder.NORMAL,
                                "EndpointPublished",
                                "Pod "
                                        + slice.getEndpoints()
                                                .get(0)
                                                .getTargetRef()
                                                .getName() + " serves on " + hostPort(slice));
                    }
                }));
        existing.forEach((name, slice) -> {
            if (!slices.desired().containsKey(name) && !slices.kept().containsKey(name)) {
                writes.add(() -> {
                    applier.delete(slice);
                    notes.record(
                            EventRecorder.NORMAL,
                            "EndpointRemoved",
                            "Removed endpoint " + hostPort(slice) + " ("
                                    + slice.getMetadata().getName() + ")");
                });
            }
        });
        return writes.isEmpty() ? Optional.empty() : Optional.of(() -> writes.forEach(Runnable::run));
    }

    private static String nameFor(Pod pod) {
        return PREFIX + pod.getMetadata().getName();
    }

    private static EndpointSlice slice(WasmApp app, HostEndpoints.Endpoint endpoint) {
        Pod pod = endpoint.pod();
        String address = endpoint.address();
        EndpointSlice slice = new EndpointSliceBuilder()
                .withMetadata(OwnedMeta.of(app, nameFor(pod)))
                .withAddressType(address.contains(":") ? "IPv6" : "IPv4")
                .addNewEndpoint()
                .withAddresses(address)
                .withNewConditions()
                .withReady(endpoint.ready())
                .withServing(endpoint.ready())
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
                .withName(DeploymentDependent.HTTP_PORT_NAME)
                .withPort(endpoint.port())
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
    private static String hostPort(EndpointSlice slice) {
        String address = slice.getEndpoints().get(0).getAddresses().get(0);
        int port = slice.getPorts().get(0).getPort();
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }
}
