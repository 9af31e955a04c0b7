package dev.wasmorch.operator.reconcile;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reconcile latency with many WasmApps against the fabric8 mock API server (CRUD mode). Not a test:
 * run it with
 * {@code mvn -B -ntp -o -pl operator test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.wasmorch.operator.reconcile.ReconcileBench [-Dexec.args="1000 [threads]"]}
 * (threads default {@link #THREADS}).
 *
 * <p>Each reconciliation is timed around the reconciler call inside JOSDK (its Metrics hook), so
 * the numbers are the reconciler's own work including its API calls, without queueing. After a
 * warm-up ({@link #WARMUP_APPS} apps created and updated, not counted), the phases are: create
 * burst (the bench creates all apps back to back; the first reconciliation of each writes
 * Deployment, Service and status), update burst (a spec change on every app rewrites Deployment
 * and status), and steady (with all apps in place, new apps and spec changes alternate at
 * {@link #STEADY_RATE} per second). Every reconciliation run in a phase counts, including the no-op
 * ones the operator's own writes trigger. Per phase it also prints the wall time until every app
 * shows the phase's result (which includes queueing, so fewer reconciler threads cannot hide
 * there) and the API requests the mock server received, by method and resource. Reference rows
 * time single requests against the same mock server: the bench's own WasmApp creations during the
 * create phase (a write competing with the operator's), and after the run, idle, GETs and POSTs.
 * Percentiles are nearest-rank.
 */
public final class ReconcileBench {
    /**
     * Reconciler threads unless given: the operator shares this machine's cores with the mock
     * server, which serializes every write under one lock, so more threads only lengthen its queue.
     * docs/benchmarks.md shows 4 beside 2, with the phase wall times.
     */
    static final int THREADS = 2;

    /** Apps created and updated before measuring, so the JIT has compiled the reconcile path. */
    static final int WARMUP_APPS = 100;

    /** Changes per second in the steady phase, and how many. */
    static final int STEADY_RATE = 20;

    static final int STEADY_CHANGES = 400;

    private ReconcileBench() {}

    /** One reconciliation: how long it took and whether it acted on a generation not yet observed. */
    record Reconcile(long nanos, boolean newGeneration) {}

    /**
     * Collects the duration of every reconciliation. JOSDK reports the resource it submits for
     * reconciliation ({@link #reconcileCustomResource}; JOSDK never runs two reconciliations of one
     * resource at once), which tells whether that resource's spec was new to the operator: those are
     * the reconciliations that write, the others only confirm what the caches already show.
     */
    static final class Timer implements Metrics {
        private final List<Reconcile> reconciles = Collections.synchronizedList(new ArrayList<>());
        private final Map<ResourceID, Boolean> newGeneration = new ConcurrentHashMap<>();

        @Override
        public void reconcileCustomResource(HasMetadata resource, RetryInfo retry, Map<String, Object> metadata) {
            WasmApp app = (WasmApp) resource;
            newGeneration.put(
                    ResourceID.fromResource(app),
                    app.getStatus() == null
                            || !app.getMetadata()
                                    .getGeneration()
                                    .equals(app.getStatus().getObservedGeneration()));
        }

        @Override
        public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
            long start = System.nanoTime();
            try {
                return execution.execute();
            } finally {
                reconciles.add(new Reconcile(
                        System.nanoTime() - start, newGeneration.getOrDefault(execution.resourceID(), false)));
            }
        }

        List<Reconcile> drain() {
            synchronized (reconciles) {
                List<Reconcile> copy = new ArrayList<>(reconciles);
                reconciles.clear();
                return copy;
            }
        }
    }

    /** What one phase cost: reconciliations, wall time until done, requests the server saw. */
    private record Phase(String name, List<Reconcile> reconciles, long wallNanos, Map<String, Integer> requests) {
        List<Long> nanos(boolean newGenerationOnly) {
            return reconciles.stream()
                    .filter(r -> !newGenerationOnly || r.newGeneration())
                    .map(Reconcile::nanos)
                    .toList();
        }
    }

    /** Held so the logger, and with it the level, is not garbage collected. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        // Per-request and per-event log lines would dominate the run.
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        org.apache.logging.log4j.core.config.Configurator.setLevel("dev.wasmorch", org.apache.logging.log4j.Level.WARN);
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : THREADS;
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        Timer timer = new Timer();
        try (KubernetesClient client = server.createClient();
                OperatorHarness harness = new OperatorHarness(client, "redis://127.0.0.1:6379/1", timer, threads)) {
            System.out.printf(
                    "reconcile latency, %d WasmApps, fabric8 mock API server (CRUD), %d cores, %d reconciler threads%n",
                    apps, Runtime.getRuntime().availableProcessors(), threads);
            // JIT warm-up, as JMH would: the first few hundred reconciliations run interpreted code and
            // would otherwise be the create phase's tail. The warm-up apps stay in the store.
            for (int i = 0; i < WARMUP_APPS; i++) {
                harness.create(OperatorHarness.app("warmup-" + i, NetworkMode.HOST));
            }
            for (int i = 0; i < WARMUP_APPS; i++) {
                harness.editSpec("warmup-" + i, spec -> spec.setReplicas(2));
            }
            awaitAll(harness, WARMUP_APPS, current(), "warm-up apps reconciled");
            Thread.sleep(2000);
            timer.drain();
            requestsSince(server);
            int total = WARMUP_APPS + apps;

            long start = System.nanoTime();
            List<Long> appPosts = new ArrayList<>();
            for (int i = 0; i < apps; i++) {
                long post = System.nanoTime();
                harness.create(OperatorHarness.app("app-" + i, NetworkMode.HOST));
                appPosts.add(System.nanoTime() - post);
                progress("created", i + 1, apps);
            }
            awaitAll(harness, total, current(), "reconciled");
            Phase create = new Phase("create, burst", timer.drain(), System.nanoTime() - start, requestsSince(server));

            start = System.nanoTime();
            for (int i = 0; i < apps; i++) {
                harness.editSpec("app-" + i, spec -> spec.setReplicas(2));
                progress("updated", i + 1, apps);
            }
            awaitAll(harness, total, current(), "reconciled");
            Phase update = new Phase("update, burst", timer.drain(), System.nanoTime() - start, requestsSince(server));

            // Changes arriving one at a time among the 1000 apps, the way a cluster's users make them:
            // new apps and spec changes alternate at STEADY_RATE per second.
            start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / STEADY_RATE;
            for (int i = 0; i < STEADY_CHANGES; i++) {
                long due = start + i * interval;
                TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
                if (i % 2 == 0) {
                    harness.create(OperatorHarness.app("later-" + i, NetworkMode.HOST));
                } else {
                    harness.editSpec("app-" + (i % apps), spec -> spec.setReplicas(3));
                }
                progress("changed", i + 1, STEADY_CHANGES);
            }
            awaitAll(harness, total + STEADY_CHANGES / 2, current(), "reconciled");
            Phase steady = new Phase(
                    "create or update, " + STEADY_RATE + "/s",
                    timer.drain(),
                    System.nanoTime() - start,
                    requestsSince(server));
            List<Phase> phases = List.of(create, update, steady);

            // The floor under every write: one round trip to the mock server holding all these objects.
            List<Long> gets = new ArrayList<>();
            List<Long> posts = new ArrayList<>();
            for (int i = 0; i < apps; i++) {
                long get = System.nanoTime();
                harness.get("app-" + i);
                gets.add(System.nanoTime() - get);
                long post = System.nanoTime();
                client.resource(new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("probe-" + i)
                                .withNamespace(OperatorHarness.NS)
                                .endMetadata()
                                .addToData("i", String.valueOf(i))
                                .build())
                        .create();
                posts.add(System.nanoTime() - post);
            }

            System.out.println();
            System.out.println("| phase | reconciliations | p50 ms | p99 ms | max ms | phase wall s |");
            System.out.println("|---|---:|---:|---:|---:|---:|");
            for (Phase phase : phases) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s, all %s | %.1f |%n",
                        phase.name(),
                        cells(phase.nanos(false)),
                        phase.wallNanos() / 1e9);
                System.out.printf(
                        Locale.ROOT, "| %s, new generation only %s | |%n", phase.name(), cells(phase.nanos(true)));
            }
            System.out.printf("| WasmApp POST by the bench during create (reference) %s | |%n", cells(appPosts));
            System.out.printf("| mock API GET, after the run (reference) %s | |%n", cells(gets));
            System.out.printf("| mock API POST, after the run (reference) %s | |%n", cells(posts));
            System.out.println();
            System.out.println("API requests per phase (method resource: count):");
            for (Phase phase : phases) {
                System.out.println("  " + phase.name() + ": " + phase.requests());
            }
        } finally {
            server.destroy();
        }
    }

    /** The app's status reports its current generation. */
    private static Predicate<WasmApp> current() {
        return app -> app.getStatus() != null
                && app.getMetadata().getGeneration().equals(app.getStatus().getObservedGeneration());
    }

    private static void awaitAll(OperatorHarness harness, int apps, Predicate<WasmApp> done, String what)
            throws InterruptedException {
        long count;
        do {
            Thread.sleep(1000);
            count = harness.client.resources(WasmApp.class).inNamespace(OperatorHarness.NS).list().getItems().stream()
                    .filter(done)
                    .count();
        } while (count < apps);
        System.out.printf("  %s %d/%d%n", what, count, apps);
    }

    /** Drains the server's request log: counts by method and resource (with subresource). */
    private static Map<String, Integer> requestsSince(KubernetesMockServer server) throws InterruptedException {
        Map<String, Integer> counts = new TreeMap<>();
        RecordedRequest request;
        while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            counts.merge(request.getMethod() + " " + resourceOf(request.getPath()), 1, Integer::sum);
        }
        return counts;
    }

    /** "/apis/apps/v1/namespaces/ns/deployments/x/status?y" -> "deployments/status". */
    private static String resourceOf(String path) {
        String[] parts = path.replaceFirst("\\?.*", "").split("/");
        int ns = List.of(parts).indexOf("namespaces");
        if (ns < 0 || ns + 2 >= parts.length) {
            return parts[parts.length - 1];
        }
        return parts[ns + 2] + (parts.length > ns + 4 ? "/" + parts[ns + 4] : "");
    }

    private static void progress(String what, int done, int total) {
        if (done % 250 == 0 || done == total) {
            System.out.printf("  %s %d/%d%n", what, done, total);
        }
    }

    /** "| count | p50 | p99 | max" in milliseconds. */
    private static String cells(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format(
                Locale.ROOT,
                "| %d | %.1f | %.1f | %.1f",
                sorted.size(),
                percentile(sorted, 50) / 1e6,
                percentile(sorted, 99) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6);
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least p% of values at or below it. */
    static long percentile(List<Long> sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
