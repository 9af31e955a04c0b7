package dev.wasmorch.operator.reconcile;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.crd.WasmAppStatus;
import dev.wasmorch.operator.ports.PortRegistry;
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

  private InformerEventSource<Deployment, WasmApp> deployments;
  private InformerEventSource<Service, WasmApp> services;
  private InformerEventSource<Ingress, WasmApp> ingresses;
  private InformerEventSource<EndpointSlice, WasmApp> slices;

  public WasmAppReconciler(PortRegistry registry, EventRecorder events, Backoff backoff) {
    this.hostEndpoints = new HostEndpoints(registry);
    this.events = events;
    this.backoff = backoff;
  }

  @Override
  public List<EventSource<?, WasmApp>> prepareEventSources(EventSourceContext<WasmApp> context) {
    deployments = owned(Deployment.class, MANAGED, context);
    services = owned(Service.class, MANAGED, context);
    ingresses = owned(Ingress.class, MANAGED, context);
    slices = owned(EndpointSlice.class, Labels.SLICE_MANAGED_BY + "=" + Labels.SLICE_MANAGER, context);
    // Pods belong to ReplicaSets, not to the WasmApp; the function label leads back to it.
    InformerEventSource<Pod, WasmApp> pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, WasmApp.class)
                .withLabelSelector(MANAGED)
                .withSecondaryToPrimaryMapper(pod -> functionOf(pod))
                .build(),
            context);
    // A RuntimeClass created late un-blocks every WasmApp that names it.
    InformerEventSource<RuntimeClass, WasmApp> runtimeClasses =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(RuntimeClass.class, WasmApp.class)
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    rc -> context.getPrimaryCache()
                        .list(app -> app.getSpec() != null && rc.getMetadata().getName().equals(app.getSpec().getRuntimeClass()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(
                    (WasmApp app) -> app.getSpec() == null || app.getSpec().getRuntimeClass() == null
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
    String function = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Labels.FUNCTION);
    return function == null ? Set.of() : Set.of(new ResourceID(function, pod.getMetadata().getNamespace()));
  }

  @Override
  public UpdateControl<WasmApp> reconcile(WasmApp app, Context<WasmApp> context) {
    List<String> invalid = SpecValidator.validate(app);
    if (!invalid.isEmpty()) {
      return finish(app, context, new Problem(Problem.INVALID_SPEC, String.join("; ", invalid), false), 0, List.of());
    }
    WasmAppSpec spec = app.getSpec();
    if (context.getSecondaryResource(RuntimeClass.class).isEmpty()) {
      return finish(app, context, new Problem(Problem.RUNTIME_CLASS_NOT_FOUND,
          "RuntimeClass \"" + spec.getRuntimeClass() + "\" named by spec.runtimeClass does not exist; create it or change the spec", false),
          0, List.of());
    }
    ChildApplier applier = new ChildApplier(context.getClient());
    Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
    report(app, "Deployment", applier.apply(app, DeploymentFactory.desired(app), deployment, deployments));
    report(app, "Service", applier.apply(app, ServiceFactory.desired(app), context.getSecondaryResource(Service.class).orElse(null), services));
    syncIngress(app, context, applier);

    List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
    Map<String, EndpointSlice> existing = new HashMap<>();
    context.getSecondaryResources(EndpointSlice.class).forEach(s -> existing.put(s.getMetadata().getName(), s));
    Problem problem = null;
    List<String> endpoints;
    if (spec.getNetworkMode() == NetworkMode.HOST) {
      HostEndpoints.Plan plan = hostEndpoints.plan(app, pods, existing);
      problem = plan.problem();
      endpoints = syncSlices(app, applier, plan, existing);
    } else {
      existing.values().forEach(s -> removeSlice(app, applier, s));
      endpoints = pods.stream()
          .filter(Pods::ready)
          .filter(p -> p.getStatus().getPodIP() != null)
          .map(p -> p.getStatus().getPodIP() + ":" + spec.getPort())
          .sorted()
          .toList();
    }
    int ready = deployment == null || deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
        ? 0 : deployment.getStatus().getReadyReplicas();
    return finish(app, context, problem, ready, endpoints);
  }

  private void syncIngress(WasmApp app, Context<WasmApp> context, ChildApplier applier) {
    Ingress actual = context.getSecondaryResource(Ingress.class).orElse(null);
    if (Boolean.TRUE.equals(app.getSpec().getIngressEnabled())) {
      report(app, "Ingress", applier.apply(app, IngressFactory.desired(app), actual, ingresses));
    } else if (actual != null) {
      applier.delete(actual);
      events.record(app, EventRecorder.NORMAL, "Deleted", "Deleted Ingress " + actual.getMetadata().getName() + " (ingressEnabled is false)");
    }
  }

  /** Writes the planned slices, drops those of vanished pods, and returns host:port of the ready ones. */
  private List<String> syncSlices(WasmApp app, ChildApplier applier, HostEndpoints.Plan plan, Map<String, EndpointSlice> existing) {
    List<String> endpoints = new ArrayList<>();
    plan.desired().forEach((name, slice) -> {
      ChildApplier.Outcome outcome = applier.apply(app, slice, existing.get(name), slices);
      if (outcome != ChildApplier.Outcome.UNCHANGED) {
        events.record(app, EventRecorder.NORMAL, "EndpointPublished",
            "Pod " + slice.getEndpoints().get(0).getTargetRef().getName() + " serves on " + EndpointSliceFactory.hostPort(slice));
      }
    });
    existing.forEach((name, slice) -> {
      if (!plan.desired().containsKey(name) && !plan.keep().containsKey(name)) {
        removeSlice(app, applier, slice);
      }
    });
    for (Map<String, EndpointSlice> group : List.of(plan.desired(), plan.keep())) {
      group.values().stream()
          .filter(s -> Boolean.TRUE.equals(s.getEndpoints().get(0).getConditions().getReady()))
          .map(EndpointSliceFactory::hostPort)
          .forEach(endpoints::add);
    }
    endpoints.sort(null);
    return endpoints;
  }

  private void removeSlice(WasmApp app, ChildApplier applier, EndpointSlice slice) {
    applier.delete(slice);
    events.record(app, EventRecorder.NORMAL, "EndpointRemoved",
        "Removed endpoint " + EndpointSliceFactory.hostPort(slice) + " (" + slice.getMetadata().getName() + ")");
  }

  private void report(WasmApp app, String kind, ChildApplier.Outcome outcome) {
    String name = app.getMetadata().getName();
    switch (outcome) {
      case CREATED -> events.record(app, EventRecorder.NORMAL, "Created", "Created " + kind + " " + name);
      case UPDATED -> events.record(app, EventRecorder.NORMAL, "Updated", "Updated " + kind + " " + name + " to the new spec");
      case REPAIRED -> events.record(app, EventRecorder.WARNING, "DriftRepaired", "Restored " + kind + " " + name + ", which was changed outside the operator");
      case UNCHANGED -> { }
    }
  }

  /** Writes the status (only when it changed) and schedules a retry for registry problems. */
  private UpdateControl<WasmApp> finish(WasmApp app, Context<WasmApp> context, Problem problem, int readyReplicas, List<String> endpoints) {
    WasmAppStatus previous = app.getStatus() == null ? new WasmAppStatus() : app.getStatus();
    announceTransition(app, previous.getConditions(), problem);
    WasmAppStatus status = StatusFactory.status(app, previous, problem, readyReplicas, endpoints);
    if (!status.equals(previous)) {
      // Patched here rather than through UpdateControl so the written status is in the cache at
      // once: a reconciliation right behind this one must not announce the same transition again.
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(app, context, a -> {
        a.setStatus(status);
        return a;
      });
    }
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
      events.record(app, EventRecorder.NORMAL, "Recovered", "No longer degraded (was " + wasDegraded.getReason() + ")");
    }
  }

  /** An unexpected failure (e.g. the API server refused a write): reported, then JOSDK retries with backoff. */
  @Override
  public ErrorStatusUpdateControl<WasmApp> updateErrorStatus(WasmApp app, Context<WasmApp> context, Exception e) {
    WasmAppStatus previous = app.getStatus() == null ? new WasmAppStatus() : app.getStatus();
    Problem problem = new Problem(Problem.RECONCILE_ERROR, String.valueOf(e.getMessage()), true);
    announceTransition(app, previous.getConditions(), problem);
    WasmAppStatus status = StatusFactory.status(app, previous, problem,
        previous.getReadyReplicas() == null ? 0 : previous.getReadyReplicas(), previous.getEndpoints());
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(app, context, a -> {
      a.setStatus(status);
      return a;
    });
    return ErrorStatusUpdateControl.noStatusUpdate();
  }
}
