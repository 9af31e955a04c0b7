package dev.wasmorch.operator.runtime;

import dev.wasmorch.operator.ports.PortRegistry;
import dev.wasmorch.operator.ports.RedisSettings;
import dev.wasmorch.operator.reconcile.Backoff;
import dev.wasmorch.operator.reconcile.EventRecorder;
import dev.wasmorch.operator.reconcile.WasmAppReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.Set;

/** The running operator: JOSDK's controller for WasmApps wired to the port registry. */
public final class OperatorRuntime implements AutoCloseable {
  /**
   * @param namespaces namespaces to watch; empty for all
   * @param resync longest time between two reconciliations of an app, which also notices ports
   *     whose Redis entry expired without any Kubernetes event
   * @param retryInitial first delay after a failure; doubles up to retryMax
   * @param threads concurrent reconciliations
   * @param instance this operator's name in Events (the pod name in a cluster)
   */
  public record Settings(
      Set<String> namespaces,
      RedisSettings redis,
      Duration resync,
      Duration retryInitial,
      Duration retryMax,
      int threads,
      String instance) {}

  private final Operator operator;
  private final PortRegistry registry;
  private final EventRecorder events;

  private OperatorRuntime(Operator operator, PortRegistry registry, EventRecorder events) {
    this.operator = operator;
    this.registry = registry;
    this.events = events;
  }

  /** Starts watching; returns once the informer caches are synced. */
  public static OperatorRuntime start(KubernetesClient client, Settings settings, Metrics metrics) {
    PortRegistry registry = new PortRegistry(settings.redis());
    Operator operator =
        new Operator(
            o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                // The CRD is installed from deploy/ by the cluster admin; the operator needs no CRD read rights.
                .checkingCRDAndValidateLocalModel(false)
                // Status is written with a JSON patch; server-side apply is not needed for one writer.
                .withUseSSAToPatchPrimaryResource(false)
                .withConcurrentReconciliationThreads(settings.threads())
                // Each reconciliation hands at most a few independent child writes to this pool
                // (ParallelWrites); twice the reconcilers keeps them from queueing behind each other.
                .withConcurrentWorkflowExecutorThreads(2 * settings.threads())
                .withMetrics(metrics));
    EventRecorder events = new EventRecorder(client, settings.instance());
    WasmAppReconciler reconciler =
        new WasmAppReconciler(registry, events, new Backoff(settings.retryInitial(), settings.retryMax()));
    GenericRetry retry =
        new GenericRetry()
            .setInitialInterval(settings.retryInitial())
            .setIntervalMultiplier(2)
            .setMaxInterval(settings.retryMax().toMillis())
            .withoutMaxAttempts();
    operator.register(
        reconciler,
        c -> {
          c.withRetry(retry).withReconciliationMaxInterval(settings.resync());
          if (settings.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(settings.namespaces());
          }
        });
    operator.start();
    return new OperatorRuntime(operator, registry, events);
  }

  @Override
  public void close() throws InterruptedException {
    operator.stop();
    events.close();
    registry.close();
  }
}
