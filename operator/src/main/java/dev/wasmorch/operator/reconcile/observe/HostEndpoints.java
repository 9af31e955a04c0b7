package dev.wasmorch.operator.reconcile.observe;

import dev.wasmorch.contract.registry.PortKeys;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.ports.InvalidPortRegistrationException;
import dev.wasmorch.operator.ports.PortRegistration;
import dev.wasmorch.operator.ports.PortRegistry;
import dev.wasmorch.operator.ports.PortRegistryUnavailableException;
import dev.wasmorch.operator.reconcile.dependent.EndpointSliceFactory;
import dev.wasmorch.operator.reconcile.status.Problem;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host-network mode: turns the ports the shim registered for each running pod into desired
 * EndpointSlices. Reading only; the reconciler writes the result.
 */
public final class HostEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(HostEndpoints.class);

    /**
     * @param desired slices by name that should exist
     * @param keep existing slices left as they are because their pod's port could not be read now
     *     (Redis down): the shim still serves on it, so dropping it would cut traffic for nothing
     * @param problem the first problem met, or null
     */
    public record Plan(Map<String, EndpointSlice> desired, Map<String, EndpointSlice> keep, Problem problem) {}

    private final PortRegistry registry;

    public HostEndpoints(PortRegistry registry) {
        this.registry = registry;
    }

    public Plan plan(WasmApp app, Collection<Pod> pods, Map<String, EndpointSlice> existing) {
        String container = app.getMetadata().getName();
        Map<String, EndpointSlice> desired = new HashMap<>();
        Map<String, EndpointSlice> keep = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Pod pod : pods) {
            Optional<ContainerStatus> running = Pods.runningContainer(pod, container);
            if (running.isEmpty()) {
                continue;
            }
            String slice = EndpointSliceFactory.nameFor(pod);
            String podRef =
                    pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            try {
                Optional<PortRegistration> registration = registry.lookup(
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        container,
                        Pods.containerId(running.get()));
                if (registration.isEmpty()) {
                    problems.add(new Problem(
                            Problem.PORT_NOT_REGISTERED,
                            "pod " + podRef + " runs but the shim has registered no port for container " + container
                                    + " (key " + PortKeys.BY_POD + podRef + "/" + container + ")",
                            true));
                    continue;
                }
                RegistrationTrust.Verdict verdict =
                        RegistrationTrust.check(app, pod, running.get(), registration.get());
                if (verdict.refused()) {
                    LOG.warn(
                            "refused port registration for WasmApp {}/{}: {}",
                            app.getMetadata().getNamespace(),
                            app.getMetadata().getName(),
                            verdict.refusal());
                    problems.add(new Problem(Problem.PORT_REGISTRATION_REFUSED, verdict.refusal(), true));
                    continue;
                }
                desired.put(
                        slice,
                        EndpointSliceFactory.desired(
                                app, pod, verdict.address(), registration.get().port(), Pods.ready(pod)));
            } catch (PortRegistryUnavailableException e) {
                problems.add(new Problem(Problem.PORT_REGISTRY_UNAVAILABLE, e.getMessage(), true));
                if (existing.containsKey(slice)) {
                    keep.put(slice, existing.get(slice));
                }
            } catch (InvalidPortRegistrationException e) {
                problems.add(new Problem(Problem.INVALID_PORT_REGISTRATION, e.getMessage(), true));
            }
        }
        // Redis being down explains every other symptom, so it is the one reported.
        Problem problem = problems.stream()
                .filter(p -> p.reason().equals(Problem.PORT_REGISTRY_UNAVAILABLE))
                .findFirst()
                .orElse(problems.isEmpty() ? null : problems.get(0));
        return new Plan(desired, keep, problem);
    }
}
