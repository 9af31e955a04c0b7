package dev.wasmorch.operator.reconcile;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.crd.WasmAppStatus;
import dev.wasmorch.operator.ports.PortRegistry;
import dev.wasmorch.operator.reconcile.dependent.DeploymentDependent;
import dev.wasmorch.operator.reconcile.dependent.EndpointSliceDependent;
import dev.wasmorch.operator.reconcile.dependent.IngressDependent;
import dev.wasmorch.operator.reconcile.dependent.ServiceDependent;
import dev.wasmorch.operator.reconcile.observe.HostEndpoints;
import dev.wasmorch.operator.reconcile.observe.Observed;
import dev.wasmorch.operator.reconcile.observe.Pods;
import dev.wasmorch.operator.reconcile.status.Announcements;
import dev.wasmorch.operator.reconcile.status.Conditions;
import dev.wasmorch.operator.reconcile.status.EventRecorder;
import dev.wasmorch.operator.reconcile.status.Problem;
import dev.wasmorch.operator.reconcile.status.StatusFactory;
import dev.wasmorch.operator.reconcile.validate.RuntimeClassCheck;
import dev.wasmorch.operator.reconcile.validate.SpecPolicy;
import dev.wasmorch.operator.reconcile.validate.SpecValidator;
import dev.wasmorch.operator.reconcile.write.ChildApplier;
import dev.wasmorch.operator.reconcile.write.ParallelWrites;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps a WasmApp's Deployment, Service, optional Ingress and (host mode) per-pod EndpointSlices in
 * their desired form and reports what it sees in the status. Every child is watched, so an edit or
 * deletion by someone else triggers a reconciliation that repairs it.
 *
 * <p>A reconciliation runs five steps, each in its own package: validate the spec, observe the
 * children, the pods and the ports the shim registered, compute each child's desired state (one
 * dependent class per kind of child), write what differs, and report the status.
 */
@ControllerConfiguration(name = WasmAppReconciler.NAME)
public class WasmAppReconciler implements Reconciler<WasmApp> {
    public static final String NAME = "wasmapp";

    private final HostEndpoints hostEndpoints;
    private final EventRecorder events;
    private final Announcements announcements = new Announcements();
    private final Backoff backoff;
    private final SpecValidator validator;
    private final RuntimeClassCheck runtimeClassCheck;

    private final DeploymentDependent deployments = new DeploymentDependent();
    private final ServiceDependent services = new ServiceDependent();
    private final IngressDependent ingresses = new IngressDependent();
    private final EndpointSliceDependent endpointSlices = new EndpointSliceDependent();

    public WasmAppReconciler(PortRegistry registry, EventRecorder events, Backoff backoff, SpecPolicy policy) {
        this.hostEndpoints = new HostEndpoints(registry);
        this.events = events;
        this.backoff = backoff;
        this.validator = new SpecValidator(policy.maxReplicas());
        this.runtimeClassCheck = new RuntimeClassCheck(policy.wasmHandlers());
    }

    @Override
    public List<EventSource<?, WasmApp>> prepareEventSources(EventSourceContext<WasmApp> context) {
        // Pods belong to ReplicaSets, not to the WasmApp; the function label leads back to it.
        InformerEventSource<Pod, WasmApp> pods = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, WasmApp.class)
                        .withLabelSelector(Labels.MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(pod -> functionOf(pod))
                        .build(),
                context);
        // A RuntimeClass created late un-blocks every WasmApp that names it.
        InformerEventSource<RuntimeClass, WasmApp> runtimeClasses = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(RuntimeClass.class, WasmApp.class)
                        .withWatchAllNamespaces()
                        .withSecondaryToPrimaryMapper(rc -> context.getPrimaryCache()
                                .list(app -> app.getSpec() != null
                                        && rc.getMetadata()
                                                .getName()
                                                .equals(app.getSpec().getRuntimeClass()))
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper((WasmApp app) ->
                                app.getSpec() == null || app.getSpec().getRuntimeClass() == null
                                        ? Set.of()
                                        : Set.of(new ResourceID(app.getSpec().getRuntimeClass())))
                        .build(),
                context);
        return List.of(
                deployments.eventSource(context),
                services.eventSource(context),
                ingresses.eventSource(context),
                endpointSlices.eventSource(context),
                pods,
                runtimeClasses);
    }

    private static Set<ResourceID> functionOf(Pod pod) {
        String function = pod.getMetadata().getLabels() == null
                ? null
                : pod.getMetadata().getLabels().get(Labels.FUNCTION);
        return function == null
                ? Set.of()
                : Set.of(new ResourceID(function, pod.getMetadata().getNamespace()));
    }

    @Override
    public UpdateControl<WasmApp> reconcile(WasmApp app, Context<WasmApp> context) {
        Optional<Problem> invalid = validate(app, context);
        if (invalid.isPresent()) {
            return finish(app, context, invalid.get(), 0, List.of(), List.of());
        }
        WasmAppSpec spec = app.getSpec();
        boolean host = spec.getNetworkMode() == NetworkMode.HOST;

        Observed observed = Observed.read(context);
        HostEndpoints.Ports ports = host ? hostEndpoints.read(app, observed.pods()) : HostEndpoints.Ports.NONE;

        Deployment deployment = deployments.desired(app);
        Service service = services.desired(app);
        Optional<Ingress> ingress = ingresses.desired(app);
        EndpointSliceDependent.Slices slices = endpointSlices.desired(app, ports, observed.slices());
        List<String> endpoints = host ? slices.readyEndpoints() : Pods.readyEndpoints(observed.pods(), spec.getPort());

        try (EventRecorder.Batch notes = events.batch(app)) {
            // The children and the status do not depend on each other: written at once, see ParallelWrites.
            ChildApplier applier = new ChildApplier(context.getClient());
            List<Runnable> writes = new ArrayList<>();
            writes.add(deployments.write(app, deployment, observed.deployment(), applier, notes));
            writes.add(services.write(app, service, observed.service(), applier, notes));
            ingresses.write(app, ingress, observed.ingress(), applier, notes).ifPresent(writes::add);
            endpointSlices.write(app, slices, observed.slices(), applier, notes).ifPresent(writes::add);
            return finish(app, context, ports.problem(), observed.readyReplicas(), endpoints, writes);
        }
    }

    /** A spec the children cannot be built from, or a RuntimeClass that is missing or runs no WebAssembly. */
    private Optional<Problem> validate(WasmApp app, Context<WasmApp> context) {
        List<String> invalid = validator.validate(app);
        if (!invalid.isEmpty()) {
            return Optional.of(new Problem(Problem.INVALID_SPEC, String.join("; ", invalid), false));
        }
        return runtimeClassCheck.problem(
                app.getSpec(), context.getSecondaryResource(RuntimeClass.class).orElse(null));
    }

    /**
     * Runs the child writes and the status write (only when the status changed), and schedules a
     * retry for registry problems. The status depends only on what this reconciliation read, so it
     * normally goes out together with the children; a failed child write throws after all writes
     * finished, and {@link #updateErrorStatus} then overwrites it with Degraded. Right after such a
     * failure, though, the status waits for the children: a write that keeps failing must not flip
     * the status to healthy and back, with a "Recovered" event, on every retry. The transition is
     * announced only once the writes succeeded, for the same reason.
     */
    private UpdateControl<WasmApp> finish(
            WasmApp app,
            Context<WasmApp> context,
            Problem problem,
            int readyReplicas,
            List<String> endpoints,
            List<Runnable> childWrites) {
        WasmAppStatus previous = app.getStatus() == null ? new WasmAppStatus() : app.getStatus();
        WasmAppStatus status = StatusFactory.status(app, previous, problem, readyReplicas, endpoints);
        List<Runnable> writes = new ArrayList<>(childWrites);
        if (!status.equals(previous)) {
            // Patched here rather than through UpdateControl so the written status is in the cache at
            // once: a reconciliation right behind this one must not announce the same transition again.
            Runnable statusWrite = () -> PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(app, context, a -> {
                a.setStatus(status);
                return a;
            });
            String announced = announcements.last(app.getMetadata().getUid(), degradedReason(previous.getConditions()));
            if (Problem.RECONCILE_ERROR.equals(announced)) {
                ParallelWrites.run(context.getWorkflowExecutorService(), writes);
                writes = List.of(statusWrite);
            } else {
                writes.add(statusWrite);
            }
        }
        ParallelWrites.run(context.getWorkflowExecutorService(), writes);
        announceTransition(app, previous.getConditions(), problem);
        UpdateControl<WasmApp> control = UpdateControl.noUpdate();
        String key = app.getMetadata().getUid();
        if (problem != null && problem.retry()) {
            return control.rescheduleAfter(backoff.next(key));
        }
        backoff.reset(key);
        return control;
    }

    private void announceTransition(WasmApp app, List<Condition> previous, Problem problem) {
        announcements
                .next(app.getMetadata().getUid(), degradedReason(previous), problem)
                .ifPresent(a -> events.record(app, a.type(), a.reason(), a.message()));
    }

    private static String degradedReason(List<Condition> conditions) {
        Condition degraded = Conditions.trueOf(conditions, Conditions.DEGRADED);
        return degraded == null ? null : degraded.getReason();
    }

    /** An unexpected failure (e.g. the API server refused a write): reported, then JOSDK retries with backoff. */
    @Override
    public ErrorStatusUpdateControl<WasmApp> updateErrorStatus(WasmApp app, Context<WasmApp> context, Exception e) {
        WasmAppStatus previous = app.getStatus() == null ? new WasmAppStatus() : app.getStatus();
        Problem problem = new Problem(Problem.RECONCILE_ERROR, String.valueOf(e.getMessage()), true);
        announceTransition(app, previous.getConditions(), problem);
        WasmAppStatus status = StatusFactory.status(
                app,
                previous,
                problem,
                previous.getReadyReplicas() == null ? 0 : previous.getReadyReplicas(),
                previous.getEndpoints());
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(app, context, a -> {
            a.setStatus(status);
            return a;
        });
        return ErrorStatusUpdateControl.noStatusUpdate();
    }
}
