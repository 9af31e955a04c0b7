package dev.wasmorch.operator.reconcile.observe;

import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one reconciliation reads of a WasmApp's children and pods, from the informer caches; a
 * child that does not exist is null.
 *
 * @param slices the EndpointSlices by name
 */
public record Observed(
        Deployment deployment, Service service, Ingress ingress, List<Pod> pods, Map<String, EndpointSlice> slices) {
    public static Observed read(Context<WasmApp> context) {
        Map<String, EndpointSlice> slices = new HashMap<>();
        context.getSecondaryResources(EndpointSlice.class)
                .forEach(s -> slices.put(s.getMetadata().getName(), s));
        return new Observed(
                context.getSecondaryResource(Deployment.class).orElse(null),
                context.getSecondaryResource(Service.class).orElse(null),
                context.getSecondaryResource(Ingress.class).orElse(null),
                List.copyOf(context.getSecondaryResources(Pod.class)),
                slices);
    }

    /** The Deployment's ready pods; 0 while it reports none. */
    public int readyReplicas() {
        return deployment == null
                        || deployment.getStatus() == null
                        || deployment.getStatus().getReadyReplicas() == null
                ? 0
                : deployment.getStatus().getReadyReplicas();
    }
}
