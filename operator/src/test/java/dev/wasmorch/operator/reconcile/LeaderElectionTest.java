package dev.wasmorch.operator.reconcile;

import static dev.wasmorch.operator.reconcile.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances against one mock API server (CRUD mode, which keeps a Lease like any
 * object and enforces resourceVersion on updates): only the lease holder reconciles, and another
 * instance takes over when the holder stops, crashes (lease not renewed) or loses the lease.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    private static final String LEASE_NS = Leases.NAMESPACE;
    private static final String LEASE = Leases.NAME;
    /** Short, so that expiry is observable in a test; the CLI defaults are 15 s / 10 s / 2 s. */
    private static final OperatorRuntime.LeaderElection ELECTION = new OperatorRuntime.LeaderElection(
            LEASE, LEASE_NS, Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(250));

    private static final Duration WAIT = Duration.ofSeconds(20);

    KubernetesMockServer server;
    KubernetesClient client;
    private final List<OperatorHarness> operators = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();

    /** Counts the reconciliations of one instance. */
    private static final class Count implements Metrics {
        final AtomicInteger reconciliations = new AtomicInteger();

        @Override
        public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
            reconciliations.incrementAndGet();
            return execution.execute();
        }
    }

    @BeforeEach
    void answerPermissionCheckWithTheDeployedRole() throws IOException {
        Leases.grantDeployedRole(server);
    }

    @AfterEach
    void stopAllThenCheckPermissions() throws Exception {
        for (OperatorHarness operator : operators) {
            operator.close();
        }
        clients.forEach(KubernetesClient::close);
        Leases.assertLeaseRequestsAllowed(server);
    }

    /** An operator instance with its own client, as a second pod would have. */
    private OperatorHarness start(String instance, Count count) {
        KubernetesClient own = server.createClient();
        clients.add(own);
        OperatorHarness operator = new OperatorHarness(own, "redis://127.0.0.1:6379/1", count, 2, instance, ELECTION);
        operators.add(operator);
        return operator;
    }

    private String holder() {
        Lease lease = client.leases().inNamespace(LEASE_NS).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private void createApp(String name) {
        client.resource(OperatorHarness.app(name, NetworkMode.POD)).create();
    }

    @Test
    void onlyTheHolderReconcilesAndTheOtherTakesOverWhenItStops() throws InterruptedException {
        Count a = new Count();
        Count b = new Count();
        OperatorHarness first = start("operator-a", a);
        await().atMost(WAIT).until(this::holder, "operator-a"::equals);
        start("operator-b", b);

        createApp("hello");
        await().atMost(WAIT).until(() -> deployment("hello"), Objects::nonNull);
        // The follower has the app in its cache (its informers run) but must not act on it.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> b.reconciliations.get() == 0);
        assertThat(a.reconciliations.get()).isPositive();
        assertThat(holder()).isEqualTo("operator-a");

        first.close();
        operators.remove(first);
        int aAtStop = a.reconciliations.get();
        // close() released the lease (or operator-b already took it), so nobody waits for it to expire.
        assertThat(holder()).isIn(null, "operator-b");
        await().atMost(WAIT).until(this::holder, "operator-b"::equals);
        createApp("world");
        await().atMost(WAIT).until(() -> deployment("world"), Objects::nonNull);
        assertThat(b.reconciliations.get()).isPositive();
        assertThat(a.reconciliations.get()).isEqualTo(aAtStop);
        assertThat(client.leases()
                        .inNamespace(LEASE_NS)
                        .withName(LEASE)
                        .get()
                        .getSpec()
                        .getLeaseTransitions())
                .isEqualTo(1);
    }

    @Test
    void aLeaseNotRenewedBlocksUntilItExpires() {
        // A holder that crashed a moment ago: its lease runs 8 more seconds.
        ZonedDateTime renewed = ZonedDateTime.now();
        client.resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName(LEASE)
                        .withNamespace(LEASE_NS)
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity("crashed-operator")
                        .withLeaseDurationSeconds(8)
                        .withAcquireTime(renewed)
                        .withRenewTime(renewed)
                        .withLeaseTransitions(0)
                        .endSpec()
                        .build())
                .create();
        Count a = new Count();
        start("operator-a", a);
        createApp("hello");

        Duration untilShortlyBeforeExpiry = Duration.between(ZonedDateTime.now(), renewed.plusSeconds(7));
        assertThat(untilShortlyBeforeExpiry)
                .as("the operator started too slowly for this test")
                .isPositive();
        await().during(untilShortlyBeforeExpiry)
                .atMost(untilShortlyBeforeExpiry.plusSeconds(1))
                .until(() -> deployment("hello") == null);
        assertThat(a.reconciliations.get()).isZero();
        await().atMost(WAIT).until(() -> deployment("hello"), Objects::nonNull);
        assertThat(holder()).isEqualTo("operator-a");
    }

    @Test
    void anInstanceThatLosesItsLeaseStopsReconciling() throws Exception {
        Count a = new Count();
        OperatorHarness operator = start("operator-a", a);
        await().atMost(WAIT).until(this::holder, "operator-a"::equals);

        // Another instance holds the lease now (e.g. this one was paused longer than the lease lasts).
        Leases.takeOver(client, "operator-z");

        operator.leadershipLost().get(10, TimeUnit.SECONDS);
        int atLoss = a.reconciliations.get();
        createApp("hello");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> deployment("hello") == null);
        assertThat(a.reconciliations.get()).isEqualTo(atLoss);
        assertThat(holder()).isEqualTo("operator-z");
    }
}
