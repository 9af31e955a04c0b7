package dev.wasmorch.operator.reconcile;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Reconcile latency with many WasmApps against the fabric8 mock API server (CRUD mode). Not a test:
 * run it with
 * {@code mvn -B -ntp -o -pl operator test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.wasmorch.operator.reconcile.ReconcileBench [-Dexec.args=1000]}.
 *
 * <p>Each reconciliation is timed around the reconciler call inside JOSDK (its Metrics hook), so
 * the numbers are the reconciler's own work including its API calls, without queueing. Phases:
 * create (the first reconciliation writes Deployment, Service, Events and status) and update (a
 * spec change rewrites the Deployment); every reconciliation run in a phase counts, including the
 * no-op ones the operator's own writes trigger. A last row times plain GETs against the same mock
 * server, the cost of one API round trip there. Percentiles are nearest-rank.
 */
public final class ReconcileBench {
  private ReconcileBench() {}

  /** Collects the duration of every reconciliation. */
  static final class Timer implements Metrics {
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
      long start = System.nanoTime();
      try {
        return execution.execute();
      } finally {
        nanos.add(System.nanoTime() - start);
      }
    }

    List<Long> drain() {
      synchronized (nanos) {
        List<Long> copy = new ArrayList<>(nanos);
        nanos.clear();
        return copy;
      }
    }
  }

  /** Held so the logger, and with it the level, is not garbage collected. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  public static void main(String[] args) throws Exception {
    // Per-request and per-event log lines would dominate the run.
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    org.apache.logging.log4j.core.config.Configurator.setLevel("dev.wasmorch", org.apache.logging.log4j.Level.WARN);
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
    Timer timer = new Timer();
    try (KubernetesClient client = server.createClient();
        OperatorHarness harness = new OperatorHarness(client, "redis://127.0.0.1:6379/1", timer)) {
      System.out.printf("reconcile latency, %d WasmApps, fabric8 mock API server (CRUD), %d cores%n", apps,
          Runtime.getRuntime().availableProcessors());
      for (int i = 0; i < apps; i++) {
        harness.create(OperatorHarness.app("app-" + i, NetworkMode.HOST));
        progress("created", i + 1, apps);
      }
      awaitAll(harness, apps, app -> app.getStatus() != null && app.getStatus().getObservedGeneration() != null, "reconciled");
      List<Long> create = timer.drain();

      for (int i = 0; i < apps; i++) {
        harness.editSpec("app-" + i, spec -> spec.setReplicas(2));
        progress("updated", i + 1, apps);
      }
      awaitAll(harness, apps, app -> app.getStatus() != null
          && app.getMetadata().getGeneration().equals(app.getStatus().getObservedGeneration()), "reconciled");
      List<Long> update = timer.drain();

      // The floor under every write: one round trip to the mock server holding all these objects.
      List<Long> roundTrips = new ArrayList<>();
      for (int i = 0; i < apps; i++) {
        long start = System.nanoTime();
        harness.get("app-" + i);
        roundTrips.add(System.nanoTime() - start);
      }

      System.out.println();
      System.out.println("| phase | reconciliations | p50 ms | p99 ms | max ms |");
      System.out.println("|---|---:|---:|---:|---:|");
      row("create", create);
      row("update", update);
      row("mock API GET (reference)", roundTrips);
    } finally {
      server.destroy();
    }
  }

  private static void awaitAll(OperatorHarness harness, int apps, Predicate<WasmApp> done, String what) throws InterruptedException {
    long count;
    do {
      Thread.sleep(1000);
      count = harness.client.resources(WasmApp.class).inNamespace(OperatorHarness.NS).list().getItems().stream().filter(done).count();
      System.out.printf("  %s %d/%d%n", what, count, apps);
    } while (count < apps);
  }

  private static void progress(String what, int done, int total) {
    if (done % 100 == 0 || done == total) {
      System.out.printf("  %s %d/%d%n", what, done, total);
    }
  }

  private static void row(String phase, List<Long> nanos) {
    Collections.sort(nanos);
    System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", phase, nanos.size(),
        percentile(nanos, 50) / 1e6, percentile(nanos, 99) / 1e6, nanos.get(nanos.size() - 1) / 1e6);
  }

  /** Nearest-rank percentile of sorted values: the smallest value with at least p% of values at or below it. */
  static long percentile(List<Long> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
