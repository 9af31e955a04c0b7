package dev.wasmorch.operator.reconcile.observe;

import dev.wasmorch.contract.registry.PortKeys;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.ports.InvalidPortRegistrationException;
import dev.wasmorch.operator.ports.PortRegistration;
import dev.wasmorch.operator.ports.PortRegistry;
import dev.wasmorch.operator.ports.PortRegistryUnavailableException;
import dev.wasmorch.operator.reconcile.status.Problem;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host-network mode: reads the port the shim registered for each running pod, and checks it before
 * it is believed (see {@link RegistrationTrust}). Reading only; the EndpointSlices are the
 * EndpointSlice dependent's.
 */
public final class HostEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(HostEndpoints.class);

    /**
     * Where a running pod serves.
     *
     * @param address the IP: the registered one, or the pod's host IP when the shim gave none
     * @param port the port the shim registered
     */
    public record Endpoint(Pod pod, String address, int port, boolean ready) {}

    /**
     * What the registry told of the app's running pods.
     *
     * @param endpoints the pods whose registration was found and trusted
     * @param unread the pods whose port could not be read now (Redis down); their shims still serve
     *     on the ports they registered
     * @param problem the first problem met, or null
     */
    public record Ports(List<Endpoint> endpoints, List<Pod> unread, Problem problem) {
        /** Pod mode: no pod serves on a host port. */
        public static final Ports NONE = new Ports(List.of(), List.of(), null);
    }

    private final PortRegistry registry;

    public HostEndpoints(PortRegistry registry) {
        this.registry = registry;
    }

    public Ports read(WasmApp app, Collection<Pod> pods) {
        String container = app.getMetadata().getName();
        List<Endpoint> endpoints = new ArrayList<>();
        List<Pod> unread = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Pod pod : pods) {
            Optional<ContainerStatus> running = Pods.runningContainer(pod, container);
            if (running.isEmpty()) {
                continue;
            }
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
                                    + " (key "
                                    + PortKeys.byPod(
                                            pod.getMetadata().getNamespace(),
                                            pod.getMetadata().getName(),
                                            container)
                                    + ")",
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
                endpoints.add(
                        new Endpoint(pod, verdict.address(), registration.get().port(), Pods.ready(pod)));
            } catch (PortRegistryUnavailableException e) {
                problems.add(new Problem(Problem.PORT_REGISTRY_UNAVAILABLE, e.getMessage(), true));
                unread.add(pod);
            } catch (InvalidPortRegistrationException e) {
                problems.add(new Problem(Problem.INVALID_PORT_REGISTRATION, e.getMessage(), true));
            }
        }
        // Redis being down explains every other symptom, so it is the one reported.
        Problem problem = problems.stream()
                .filter(p -> p.reason().equals(Problem.PORT_REGISTRY_UNAVAILABLE))
                .findFirst()
                .orElse(problems.isEmpty() ? null : problems.get(0));
        return new Ports(List.copyOf(endpoints), List.copyOf(unread), problem);
    }
}
