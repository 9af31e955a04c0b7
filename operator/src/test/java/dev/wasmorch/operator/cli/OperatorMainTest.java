package dev.wasmorch.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasmorch.operator.reconcile.Leases;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The command as a replica runs it: with --leader-election, and ending with 1 when the lease is lost. */
@EnableKubernetesMockClient(crud = true)
class OperatorMainTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private Lease lease() {
        return client.leases()
                .inNamespace(Leases.NAMESPACE)
                .withName(Leases.NAME)
                .get();
    }

    /** Refused before any connection is made: exit status 2 and a message naming the flag. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--max-replicas=-1                                             | --max-replicas: must be 0 or more, got -1",
                "--wasm-handlers=                                              | --wasm-handlers: needs at least one handler name",
                "--redis-url=redis://127.0.0.1:6379 --redis-ca-file=/etc/hosts | --redis-ca-file: a CA file is for TLS",
                "--redis-url=rediss://127.0.0.1:6380 --redis-ca-file=/missing  | --redis-ca-file: Redis CA file /missing",
            })
    void badFlagsAreRefusedNamingTheFlag(String arguments, String message) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new OperatorMain()).setErr(new PrintWriter(err));
        assertThat(command.execute(arguments.split(" "))).isEqualTo(2);
        assertThat(err.toString()).startsWith(message);
    }

    @Test
    void exitsWithOneWhenItLosesTheLease() throws Exception {
        Leases.grantDeployedRole(server);
        // The command builds its client from the environment; these properties point it at the mock.
        Map<String, String> apiServer = Map.of(
                "kubernetes.master", client.getMasterUrl().toString(),
                "kubernetes.trust.certificates", "true",
                "kubernetes.auth.tryKubeConfig", "false",
                "kubernetes.auth.tryServiceAccount", "false");
        apiServer.forEach(System::setProperty);
        try {
            CompletableFuture<Integer> exitCode =
                    CompletableFuture.supplyAsync(() -> new CommandLine(new OperatorMain())
                            .execute(
                                    "--leader-election",
                                    "--lease-namespace",
                                    Leases.NAMESPACE,
                                    "--lease-duration",
                                    "PT2S",
                                    "--lease-renew-deadline",
                                    "PT1.5S",
                                    "--lease-retry-period",
                                    "PT0.25S",
                                    "-n",
                                    "functions"));
            String instance = System.getenv()
                    .getOrDefault("POD_NAME", InetAddress.getLocalHost().getHostName());
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            lease() != null && instance.equals(lease().getSpec().getHolderIdentity()));
            assertThat(exitCode).isNotDone();

            Leases.takeOver(client, "another-replica");

            assertThat(exitCode.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            Leases.assertLeaseRequestsAllowed(server);
        } finally {
            apiServer.keySet().forEach(System::clearProperty);
        }
    }
}
