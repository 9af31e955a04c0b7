package dev.wasmorch.operator.runtime;

import dev.wasmorch.operator.ports.PortRegistry;
import dev.wasmorch.operator.ports.RedisSettings;
import dev.wasmorch.operator.reconcile.Backoff;
import dev.wasmorch.operator.reconcile.WasmAppReconciler;
import dev.wasmorch.operator.reconcile.status.EventRecorder;
import dev.wasmorch.operator.reconcile.validate.SpecPolicy;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running operator: JOSDK's controller for WasmApps wired to the port registry. */
public final class OperatorRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);

    /**
     * @param namespaces namespaces to watch; empty for all
     * @param resync longest time between two reconciliations of an app, which also notices ports
     *     whose Redis entry expired without any Kubernetes event
     * @param retryInitial first delay after a failure; doubles up to retryMax
     * @param threads concurrent reconciliations
     * @param instance this operator's name in Events and its identity in the leader lease (the pod
     *     name in a cluster)
     * @param leaderElection null to reconcile at once, without a lease (one replica only)
     * @param policy replica limit and WebAssembly handlers of this installation
     */
    public record Settings(
            Set<String> namespaces,
            RedisSettings redis,
            Duration resync,
            Duration retryInitial,
            Duration retryMax,
            int threads,
            String instance,
            LeaderElection leaderElection,
            SpecPolicy policy) {}

    /**
     * A coordination.k8s.io Lease that only one replica holds; only the holder reconciles. The
     * holder renews it every retryPeriod; if it cannot for renewDeadline it stops. Another replica
     * takes over when the lease is released (clean shutdown) or has not been renewed for
     * leaseDuration (crash). Kubernetes stores the duration in whole seconds.
     */
    public record LeaderElection(
            String leaseName,
            String leaseNamespace,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod) {
        public LeaderElection {
            if (leaseDuration.compareTo(renewDeadline) <= 0 || renewDeadline.compareTo(retryPeriod) <= 0) {
                throw new IllegalArgumentException("lease duration (" + leaseDuration + ") > renew deadline ("
                        + renewDeadline + ") > retry period (" + retryPeriod + ") is required");
            }
        }
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final PortRegistry registry;
    private final EventRecorder events;
    private final Operator operator;
    private final CompletableFuture<Void> leadershipLost = new CompletableFuture<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();

    private OperatorRuntime(KubernetesClient client, Settings settings, Metrics metrics) {
        this.client = client;
        this.settings = settings;
        this.registry = new PortRegistry(settings.redis());
        this.events = new EventRecorder(client, settings.instance());
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // The CRD is installed from deploy/ by the cluster admin; the operator needs no CRD read rights.
                    .checkingCRDAndValidateLocalModel(false)
                    // Status is written with a JSON patch; server-side apply is not needed for one writer.
                    .withUseSSAToPatchPrimaryResource(false)
                    // A status written and cached (updateStatusAndCacheResource) must not be evicted
                    // by the informer's event of an older write: without comparing versions JOSDK
                    // drops the cached status on any event, a reconciliation right behind then read
                    // the older status and announced a ReconcileError twice (seen in CI,
                    // WasmAppLifecycleTest). API servers' versions are etcd's (kine's on K3s) revisions,
                    // integers.
                    .withParseResourceVersions(true)
                    .withConcurrentReconciliationThreads(settings.threads())
                    // Each reconciliation hands at most four writes to this pool (ParallelWrites:
                    // Deployment, Service, Ingress, all EndpointSlices as one, status, the first on
                    // its own thread); twice the reconcilers keeps them from queueing behind each other.
                    .withConcurrentWorkflowExecutorThreads(2 * settings.threads())
                    .withMetrics(metrics);
            if (settings.leaderElection() != null) {
                o.withLeaderElectionConfiguration(leaderElectionConfiguration(settings.leaderElection()));
            }
        });
        WasmAppReconciler reconciler = new WasmAppReconciler(
                registry, events, new Backoff(settings.retryInitial(), settings.retryMax()), settings.policy());
        GenericRetry retry = new GenericRetry()
                .setInitialInterval(settings.retryInitial())
                .setIntervalMultiplier(2)
                .setMaxInterval(settings.retryMax().toMillis())
                .withoutMaxAttempts();
        operator.register(reconciler, c -> {
            c.withRetry(retry).withReconciliationMaxInterval(settings.resync());
            if (settings.namespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.namespaces());
            }
        });
    }

    /**
     * Starts watching; returns once the informer caches are synced. With leader election the
     * reconciliations start only once this instance holds the lease.
     */
    public static OperatorRuntime start(KubernetesClient client, Settings settings, Metrics metrics) {
        OperatorRuntime runtime = new OperatorRuntime(client, settings, metrics);
        runtime.operator.start();
        return runtime;
    }

    /**
     * Completes when this instance lost the lease it held (it could not renew it in time, or another
     * took it over): by then it has stopped reconciling. The process should exit, as client-go
     * operators do, and come back as a candidate.
     */
    public CompletableFuture<Void> leadershipLost() {
        return leadershipLost;
    }

    private LeaderElectionConfiguration leaderElectionConfiguration(LeaderElection election) {
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> LOG.info(
                        "{} holds lease {}/{}: reconciling",
                        settings.instance(),
                        election.leaseNamespace(),
                        election.leaseName()),
                this::stoppedLeading,
                leader ->
                        LOG.info("lease {}/{} is held by {}", election.leaseNamespace(), election.leaseName(), leader));
        // JOSDK's own reaction to a lost lease is System.exit (or nothing); the runtime stops instead
        // and tells its owner, which decides how the process ends.
        return new LeaderElectionConfiguration(
                election.leaseName(),
                election.leaseNamespace(),
                election.leaseDuration(),
                election.renewDeadline(),
                election.retryPeriod(),
                settings.instance(),
                callbacks,
                false);
    }

    /**
     * Called by the elector when this instance no longer leads (once when another took the lease,
     * once more when the elector ends), and during close().
     */
    private void stoppedLeading() {
        if (stopped.get() || !lost.compareAndSet(false, true)) {
            return;
        }
        LOG.error(
                "{} lost lease {}/{}; it stops reconciling",
                settings.instance(),
                settings.leaderElection().leaseNamespace(),
                settings.leaderElection().leaseName());
        // Stopping joins the elector's threads, so not on this (an elector) thread.
        Thread stopper = new Thread(
                () -> {
                    stopOperator();
                    leadershipLost.complete(null);
                },
                "wasmorch-lost-lease");
        stopper.start();
    }

    private void stopOperator() {
        if (stopped.compareAndSet(false, true)) {
            operator.stop();
        }
    }

    /**
     * Hands the lease over at once, as client-go's ReleaseOnCancel does, so that another replica
     * need not wait for it to expire. Only after the reconciliations have stopped.
     */
    private void releaseLease() {
        LeaderElection election = settings.leaderElection();
        try {
            Lease lease = client.leases()
                    .inNamespace(election.leaseNamespace())
                    .withName(election.leaseName())
                    .get();
            if (lease == null
                    || lease.getSpec() == null
                    || !settings.instance().equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            lease.getSpec().setHolderIdentity(null);
            lease.getSpec().setLeaseDurationSeconds(1);
            lease.getSpec().setRenewTime(ZonedDateTime.now());
            client.resource(lease).update();
            LOG.info("{} released lease {}/{}", settings.instance(), election.leaseNamespace(), election.leaseName());
        } catch (KubernetesClientException e) {
            // A conflict means another replica took it already; otherwise it expires after leaseDuration.
            LOG.warn(
                    "could not release lease {}/{}: {}",
                    election.leaseNamespace(),
                    election.leaseName(),
                    e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopOperator();
        if (settings.leaderElection() != null) {
            releaseLease();
        }
        events.close();
        registry.close();
    }
}
