package dev.wasmorch.operator.cli;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.ports.RedisSettings;
import dev.wasmorch.operator.reconcile.validate.SpecPolicy;
import dev.wasmorch.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wasmorch operator}: runs the WasmApp operator against the cluster of the current
 * kubeconfig (or, inside a pod, its service account) until interrupted.
 */
@Command(
        name = "wasmorch operator",
        mixinStandardHelpOptions = true,
        description =
                "Runs the WasmApp operator. Kubernetes access comes from KUBECONFIG/~/.kube/config or the in-cluster service account.")
public final class OperatorMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

    /** The command line running this, so that a refused flag is reported on its error stream. */
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-n", "--namespace"},
            description = "Namespace to watch; repeat for several. Default: all namespaces.")
    private List<String> namespaces = List.of();

    @Option(
            names = "--redis-url",
            description = "Port registry, redis://[user:pass@]host:port[/db], or rediss://... for TLS. Default: $"
                    + RedisSettings.URL_ENV + ", else " + RedisSettings.DEFAULT_URL + ".")
    private String redisUrl;

    @Option(
            names = "--redis-ca-file",
            defaultValue = "${env:" + RedisSettings.CA_FILE_ENV + "}",
            description = "PEM file of the CA certificates that sign the Redis server's certificate (rediss:// only)."
                    + " Default: $" + RedisSettings.CA_FILE_ENV + ", else the JVM's trusted CAs.")
    private Path redisCaFile;

    @Option(
            names = "--redis-password-file",
            description = "File holding the Redis password (e.g. a mounted Secret). Default: $"
                    + RedisSettings.PASSWORD_ENV + ".")
    private Path redisPasswordFile;

    @Option(
            names = "--redis-timeout",
            defaultValue = "PT1S",
            description = "Redis connect/read timeout (ISO-8601). Default: ${DEFAULT-VALUE}.")
    private Duration redisTimeout;

    @Option(
            names = "--resync",
            defaultValue = "PT30S",
            description = "Longest time between two reconciliations of one app. Default: ${DEFAULT-VALUE}.")
    private Duration resync;

    @Option(
            names = "--retry-initial",
            defaultValue = "PT1S",
            description = "First retry delay after a failure; doubles each time. Default: ${DEFAULT-VALUE}.")
    private Duration retryInitial;

    @Option(
            names = "--retry-max",
            defaultValue = "PT60S",
            description = "Longest retry delay. Default: ${DEFAULT-VALUE}.")
    private Duration retryMax;

    @Option(
            names = "--threads",
            defaultValue = "10",
            description = "Concurrent reconciliations. Default: ${DEFAULT-VALUE}.")
    private int threads;

    @Option(
            names = "--max-replicas",
            defaultValue = "${env:WASMORCH_MAX_REPLICAS:-" + WasmAppSpec.MAX_REPLICAS + "}",
            description = "Most pods one WasmApp may ask for; more is refused as InvalidSpec. The CRD's own maximum ("
                    + WasmAppSpec.MAX_REPLICAS
                    + ") applies too. Default: $WASMORCH_MAX_REPLICAS, else ${DEFAULT-VALUE}.")
    private int maxReplicas;

    @Option(
            names = "--wasm-handlers",
            split = ",",
            paramLabel = "HANDLER",
            defaultValue = "${env:WASMORCH_WASM_HANDLERS:-" + PodLabels.WASM_RUNTIME_CLASSES + "}",
            description = "RuntimeClass handlers that run WebAssembly; an app whose RuntimeClass has another handler is"
                    + " refused (RuntimeClassNotWasm). Default: $WASMORCH_WASM_HANDLERS, else ${DEFAULT-VALUE}.")
    private List<String> wasmHandlers;

    @Option(
            names = "--leader-election",
            defaultValue = "${env:WASMORCH_LEADER_ELECTION:-false}",
            fallbackValue = "true",
            arity = "0..1",
            description =
                    "Reconcile only while holding a coordination.k8s.io Lease, so several replicas can run. Default: $WASMORCH_LEADER_ELECTION, else ${DEFAULT-VALUE}.")
    private boolean leaderElection;

    @Option(
            names = "--lease-name",
            defaultValue = "${env:WASMORCH_LEASE_NAME:-wasmorch-operator}",
            description = "Name of the leader Lease. Default: $WASMORCH_LEASE_NAME, else ${DEFAULT-VALUE}.")
    private String leaseName;

    @Option(
            names = "--lease-namespace",
            defaultValue = "${env:WASMORCH_LEASE_NAMESPACE}",
            description =
                    "Namespace of the leader Lease. Default: $WASMORCH_LEASE_NAMESPACE, else $POD_NAMESPACE, else the kubeconfig's namespace.")
    private String leaseNamespace;

    @Option(
            names = "--lease-duration",
            defaultValue = "PT15S",
            description = "How long a lease not renewed blocks the other replicas. Default: ${DEFAULT-VALUE}.")
    private Duration leaseDuration;

    @Option(
            names = "--lease-renew-deadline",
            defaultValue = "PT10S",
            description =
                    "The leader stops (and exits) when it could not renew for this long. Default: ${DEFAULT-VALUE}.")
    private Duration leaseRenewDeadline;

    @Option(
            names = "--lease-retry-period",
            defaultValue = "PT2S",
            description = "Interval of lease renewals and takeover attempts. Default: ${DEFAULT-VALUE}.")
    private Duration leaseRetryPeriod;

    public static void main(String[] args) {
        System.exit(new CommandLine(new OperatorMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        RedisSettings redis;
        SpecPolicy policy;
        try {
            redis = redisSettings();
            policy = new SpecPolicy(maxReplicas, new LinkedHashSet<>(wasmHandlers));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String instance = System.getenv()
                .getOrDefault("POD_NAME", java.net.InetAddress.getLocalHost().getHostName());
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorRuntime.LeaderElection election;
        try {
            election = leaderElection(client);
        } catch (IllegalArgumentException e) {
            client.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        LOG.info(
                "wasmorch operator {} on {}, port registry {}, watching {}, {}",
                instance,
                client.getMasterUrl(),
                redis.display(),
                namespaces.isEmpty() ? "all namespaces" : namespaces,
                election == null
                        ? "no leader election"
                        : "leader lease " + election.leaseNamespace() + "/" + election.leaseName());
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        CountDownLatch closed = new CountDownLatch(1);
        // On SIGTERM the JVM ends when the hooks end: this one waits until the operator is closed
        // (reconciliations finished, lease released).
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            exitCode.complete(0);
                            try {
                                closed.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "wasmorch-operator-shutdown"));
        try (OperatorRuntime runtime = OperatorRuntime.start(
                client,
                new OperatorRuntime.Settings(
                        new LinkedHashSet<>(namespaces),
                        redis,
                        resync,
                        retryInitial,
                        retryMax,
                        threads,
                        instance,
                        election,
                        policy),
                Metrics.NOOP)) {
            // A lost lease ends the process with 1, so Kubernetes restarts it as a candidate.
            runtime.leadershipLost().thenRun(() -> exitCode.complete(1));
            LOG.info("operator started; Ctrl-C stops it");
            return exitCode.get();
        } catch (OperatorException e) {
            LOG.error(
                    "could not start against the API server {}: {} (is the CRD installed and the kubeconfig right?)",
                    client.getMasterUrl(),
                    rootCause(e));
            return 1;
        } finally {
            client.close();
            closed.countDown();
        }
    }

    /** The lease settings, or null without --leader-election. */
    private OperatorRuntime.LeaderElection leaderElection(KubernetesClient client) {
        if (!leaderElection) {
            return null;
        }
        String namespace = leaseNamespace != null
                ? leaseNamespace
                : System.getenv().getOrDefault("POD_NAMESPACE", client.getNamespace());
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException(
                    "--lease-namespace: not given, and neither $POD_NAMESPACE nor the kubeconfig names a namespace");
        }
        return new OperatorRuntime.LeaderElection(
                leaseName, namespace, leaseDuration, leaseRenewDeadline, leaseRetryPeriod);
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private RedisSettings redisSettings() throws java.io.IOException {
        String password = System.getenv(RedisSettings.PASSWORD_ENV);
        if (redisPasswordFile != null) {
            password =
                    Files.readString(redisPasswordFile, StandardCharsets.UTF_8).strip();
        }
        RedisSettings settings = redisUrl != null
                ? RedisSettings.parse(redisUrl, password, redisTimeout, "--redis-url")
                : RedisSettings.parse(
                        System.getenv().getOrDefault(RedisSettings.URL_ENV, RedisSettings.DEFAULT_URL),
                        password,
                        redisTimeout,
                        RedisSettings.URL_ENV);
        if (redisCaFile == null) {
            return settings;
        }
        try {
            return settings.withCaFile(redisCaFile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--redis-ca-file: " + e.getMessage(), e);
        }
    }
}
