package dev.wasmorch.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasmorch.operator.reconcile.LeasePermissions;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command as a replica runs it: with --leader-election, and ending with 1 when the lease is lost. */
@EnableKubernetesMockClient(crud = true)
class OperatorMainTest {
  private static final String LEASE = "wasmorch-operator";

  KubernetesMockServer server;
  KubernetesClient client;

  private Lease lease() {
    return client.leases().inNamespace(LeasePermissions.NAMESPACE).withName(LEASE).get();
  }

  @Test
  void exitsWithOneWhenItLosesTheLease() throws Exception {
    LeasePermissions.grantDeployedRole(server);
    // The command builds its client from the environment; these properties point it at the mock.
    Map<String, String> apiServer = Map.of(
        "kubernetes.master", client.getMasterUrl().toString(),
        "kubernetes.trust.certificates", "true",
        "kubernetes.auth.tryKubeConfig", "false",
        "kubernetes.auth.tryServiceAccount", "false");
    apiServer.forEach(System::setProperty);
    try {
      CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> new CommandLine(new OperatorMain()).execute(
          "--leader-election", "--lease-namespace", LeasePermissions.NAMESPACE,
          "--lease-duration", "PT2S", "--lease-renew-deadline", "PT1.5S", "--lease-retry-period", "PT0.25S", "-n", "functions"));
      String instance = System.getenv().getOrDefault("POD_NAME", InetAddress.getLocalHost().getHostName());
      await().atMost(Duration.ofSeconds(30)).until(() -> lease() != null && instance.equals(lease().getSpec().getHolderIdentity()));
      assertThat(exitCode).isNotDone();

      Lease taken = lease();
      taken.getSpec().setHolderIdentity("another-replica");
      taken.getSpec().setLeaseDurationSeconds(60);
      taken.getSpec().setRenewTime(ZonedDateTime.now());
      client.resource(taken).update();

      assertThat(exitCode.get(15, TimeUnit.SECONDS)).isEqualTo(1);
      LeasePermissions.assertLeaseRequestsAllowed(server);
    } finally {
      apiServer.keySet().forEach(System::clearProperty);
    }
  }
}
