package dev.wasmorch.operator.reconcile;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.crd.WasmAppStatus;
import dev.wasmorch.operator.ports.PortRegistry;
import dev.wasmorch.operator.reconcile.dependent.DeploymentFactory;
import dev.wasmorch.operator.reconcile.dependent.EndpointSliceFactory;
import dev.wasmorch.operator.reconcile.dependent.IngressFactory;
import dev.wasmorch.operator.reconcile.dependent.Labels;
import dev.wasmorch.operator.reconcile.dependent.ServiceFactory;
import dev.wasmorch.operator.reconcile.observe.HostEndpoints;
import dev.wasmorch.operator.reconcile.observe.Pods;
import dev.wasmorch.operator.reconcile.status.Conditions;
import dev.wasmorch.operator.reconcile.status.EventRecorder;
import dev.wasmorch.operator.reconcile.status.Problem;
import dev.wasmorch.operator.reconcile.status.StatusFactory;
import dev.wasmorch.operator.reconcile.validate.SpecPolicy;
import dev.wasmorch.operator.reconcile.validate.SpecValidator;
import dev.wasmorch.operator.reconcile.write.ChildApplier;
import dev.wasmorch.operator.reconcile.write.ParallelWrites;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps a WasmApp's Deployment, Service, optional Ingress and (host mode) per-pod EndpointSlices in
 * their desired form and reports what it sees in the status. Every child is watched, so an edit or
 * deletion by someone else triggers a reconciliation that repairs it.
 */
@ControllerConfiguration(name = WasmAppReconciler.NAME)
public class WasmAppReconciler implements Reconciler<WasmApp> {
    public static final String NAME = "wasmapp";
    private static final String MANAGED = Labels.MANAGED_BY + "=" + Labels.MANAGER;

    private final HostEndpoints hostEndpoints;
    private final EventRecorder events;
    private final Backoff backoff;
    private final SpecPolicy policy;
    private final SpecValidator validator;

    private InformerEventSource<Deployment, WasmApp> deployments;
    private InformerEventSource<Service, WasmApp> services;
    private InformerEventSource<Ingress, WasmApp> ingresses;
    private InformerEventSource<EndpointSlice, WasmApp> slices;

    public WasmAppReconciler(PortRegistry registry, EventRecorder events, Backoff backoff, SpecPolicy policy) {
        this.hostEndpoints = new HostEndpoints(registry);
        this.events = events;
        this.backoff = backoff;
        this.policy = policy;
        this.validator = new SpecValidator(policy.maxReplicas());
    }

    @Override
    public List<EventSource<?, WasmApp>> prepareEventSources(EventSourceContext<WasmApp> context) {
        deployments = owned(Deployment.class, MANAGED, context);
        services = owned(Service.class, MANAGED, context);
        ingresses = owned(Ingress.class, MANAGED, context);
        slices = owned(EndpointSlice.class, Labels.SLICE_MANAGED_BY + "=" + Labels.SLICE_MANAGER, context);
        // Pods belong to ReplicaSets, not to the WasmApp; the function label leads back to it.
        InformerEventSource<Pod, WasmApp> pods = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, WasmApp.class)
                        .withLabelSelector(MANAGED)
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
        return List.of(deployments, services, ingresses, slices, pods, runtimeClasses);
    }

    private static <R extends HasMetadata> InformerEventSource<R, WasmApp> owned(
            Class<R> type, String selector, EventSourceContext<WasmApp> context) {
        return new InformerEventSource<>(
                InformerEventSourceConfiguration.from(type, WasmApp.class)
                        .withLabelSelector(selector)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(WasmApp.class))
                        .build(),
                context);
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
        List<String> invalid = validator.validate(app);
        if (!invalid.isEmpty()) {
            return finish(
                    app,
                    context,
                    new Problem(Problem.INVALID_SPEC, String.join("; ", invalid), false),
                    0,
                    List.of(),
                    List.of());
        }
        WasmAppSpec spec = app.getSpec();
        Optional<Problem> runtimeProblem = runtimeClassProblem(
                spec, context.getSecondaryResource(RuntimeClass.class).orElse(null));
        if (runtimeProblem.isPresent()) {
            return finish(app, context, runtimeProblem.get(), 0, List.of(), List.of());
        }
        ChildApplier applier = new ChildApplier(context.getClient());
        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
        Map<String, EndpointSlice> existing = new HashMap<>();
        context.getSecondaryResources(EndpointSlice.class)
                .forEach(s -> existing.put(s.getMetadata().getName(), s));
        Problem problem = null;
        List<String> endpoints;
        try (EventRecorder.Batch notes = events.batch(app)) {
            // The children and the status do not depend on each other: written at once, see ParallelWrites.
            List<Runnable> writes = new ArrayList<>();
            Deployment desiredDeployment = DeploymentFactory.desired(app);
            writes.add(() ->
                    report(app, notes, "Deployment", applier.apply(app, desiredDeployment, deployment, deployments)));
            Service desiredService = ServiceFactory.desired(app);
            Service service = context.getSecondaryResource(Service.class).orElse(null);
            writes.add(() -> report(app, notes, "Service", applier.apply(app, desiredService, service, services)));
            ingressWrite(app, context, applier, notes).ifPresent(writes::add);
            if (spec.getNetworkMode() == NetworkMode.HOST) {
                HostEndpoints.Plan plan = hostEndpoints.plan(app, pods, existing);
                problem = plan.problem();
                // One task for all slices, one after another: an app with many pods must not take the
                // shared write pool from the other reconciliations (see OperatorRuntime).
                List<Runnable> slices = sliceWrites(app, applier, notes, plan, existing);
                if (!slices.isEmpty()) {
                    writes.add(() -> slices.forEach(Runnable::run));
                }
                endpoints = readyEndpoints(plan);
            } else {
                if (!existing.isEmpty()) {
                    writes.add(() -> existing.values().forEach(s -> removeSlice(applier, notes, s)));
                }
                endpoints = pods.stream()
                        .filter(Pods::ready)
                        .filter(p -> p.getStatus().getPodIP() != null)
                        .map(p -> p.getStatus().getPodIP() + ":" + spec.getPort())
                        .sorted()
                        .toList();
            }
            int ready = deployment == null
                            || deployment.getStatus() == null
                            || deployment.getStatus().getReadyReplicas() == null
                    ? 0
                    : deployment.getStatus().getReadyReplicas();
            return finish(app, context, problem, ready, endpoints, writes);
        }
    }

    /**
     * Whether the named RuntimeClass exists and runs WebAssembly: its pods get the annotation
     * {@code wasmorch.dev/runtime: wasm}, which the analyzer trusts, so a container handler must
     * not slip through (the schema cannot see RuntimeClasses).
     */
    private Optional<Problem> runtimeClassProblem(WasmAppSpec spec, RuntimeClass runtimeClass) {
        if (runtimeClass == null) {
            return Optional.of(new Problem(
                    Problem.RUNTIME_CLASS_NOT_FOUND,
                    "RuntimeClass \"" + spec.getRuntimeClass()
                            + "\" named by spec.runtimeClass does not exist; create it or change the spec",
                    false));
        }
        if (!policy.wasmHandlers().contains(runtimeClass.getHandler())) {
            return Optional.of(new Problem(
                    Problem.RUNTIME_CLASS_NOT_WASM,
                    "spec.runtimeClass: RuntimeClass \"" + spec.getRuntimeClass() + "\" has handler \""
                            + runtimeClass.getHandler() + "\", which is not a WebAssembly handler ("
                            + policy.wasmHandlers().stream().sorted().collect(Collectors.joining(", "))
                            + "; operator flag --wasm-handlers); its pods would be counted as WASM",
                    false));
        }
        return Optional.empty();
    }

    /** The Ingress write the spec calls for: create or sync it, delete it when switched off, or none. */
    private Optional<Runnable> ingressWrite(
            WasmApp app, Context<WasmApp> context, ChildApplier applier, EventRecorder.Batch notes) {
        Ingress actual = context.getSecondaryResource(Ingress.class).orElse(null);
        if (Boolean.TRUE.equals(app.getSpec().getIngressEnabled())) {
            Ingress desired = IngressFactory.desired(app);
            return Optional.of(() -> report(app, notes, "Ingress", applier.apply(app, desired, actual, ingresses)));
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

    /** Writes of the planned slices and removals of those whose pods vanished. */
    private List<Runnable> sliceWrites(
            WasmApp app,
            ChildApplier applier,
            EventRecorder.Batch notes,
            HostEndpoints.Plan plan,
            Map<String, EndpointSlice> existing) {
        List<Runnable> writes = new ArrayList<>();
        plan.desired()
                .forEach((name, slice) -> writes.add(() -> {
                    ChildApplier.Outcome outcome = applier.apply(app, slice, existing.get(name), slices);
                    if (outcome != ChildApplier.Outcome.UNCHANGED) {
                        notes.record(
                                EventRecorder.NORMAL,
                                "EndpointPublished",
                                "Pod "
                                        + slice.getEndpoints()
                                                .get(0)
                                                .getTargetRef()
                                                .getName() + " serves on " + EndpointSliceFactory.hostPort(slice));
                    }
                }));
        existing.forEach((name, slice) -> {
            if (!plan.desired().containsKey(name) && !plan.keep().containsKey(name)) {
                writes.add(() -> removeSlice(applier, notes, slice));
            }
        });
        return writes;
    }

    /** host:port of the ready endpoints among the planned and the kept slices, sorted. */
    private static List<String> readyEndpoints(HostEndpoints.Plan plan) {
        List<String> endpoints = new ArrayList<>();
        for (Map<String, EndpointSlice> group : List.of(plan.desired(), plan.keep())) {
            group.values().stream()
                    .filter(s -> Boolean.TRUE.equals(
                            s.getEndpoints().get(0).getConditions().getReady()))
                    .map(EndpointSliceFactory::hostPort)
                    .forEach(endpoints::add);
        }
        endpoints.sort(null);
        return endpoints;
    }

    private static void removeSlice(ChildApplier applier, EventRecorder.Batch notes, EndpointSlice slice) {
        applier.delete(slice);
        notes.record(
                EventRecorder.NORMAL,
                "EndpointRemoved",
                "Removed endpoint " + EndpointSliceFactory.hostPort(slice) + " ("
                        + slice.getMetadata().getName() + ")");
    }

    private static void report(WasmApp app, EventRecorder.Batch notes, String kind, ChildApplier.Outcome outcome) {
        String name = app.getMetadata().getName();
        switch (outcome) {
            case CREATED -> notes.record(EventRecorder.NORMAL, "Created", "Created " + kind + " " + name);
            case UPDATED ->
                notes.record(EventRecorder.NORMAL, "Updated", "Updated " + kind + " " + name + " to the new spec");
            case REPAIRED ->
                notes.record(
                        EventRecorder.WARNING,
                        "DriftRepaired",
                        "Restored " + kind + " " + name + ", which was changed outside the operator");
            case UNCHANGED -> {}
        }
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
            Condition degraded = Conditions.trueOf(previous.getConditions(), Conditions.DEGRADED);
            if (degraded != null && Problem.RECONCILE_ERROR.equals(degraded.getReason())) {
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
        Condition wasDegraded = Conditions.trueOf(previous, Conditions.DEGRADED);
        if (problem != null && (wasDegraded == null || !problem.reason().equals(wasDegraded.getReason()))) {
            events.record(app, EventRecorder.WARNING, problem.reason(), problem.message());
        } else if (problem == null && wasDegraded != null) {
            events.record(
                    app, EventRecorder.NORMAL, "Recovered", "No longer degraded (was " + wasDegraded.getReason() + ")");
        }
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
