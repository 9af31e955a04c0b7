package dev.wasmorch.experiment.kubernetes;

import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.model.Catalog;
import dev.wasmorch.experiment.model.Runtime;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The kubernetes backend's options of {@code lab run} (a picocli mixin). The cluster is the one of the
 * kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config}), or the pod's service account when the
 * runner runs in the cluster.
 */
public final class KubernetesOptions {

    /** Every request to the API server ends within this, so no wait of the backend hangs on one. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "Kubernetes backend: the kubeconfig (default: $KUBECONFIG, ~/.kube/config, or the pod's"
                    + " service account).")
    Path kubeconfig;

    @Option(
            names = "--context",
            paramLabel = "NAME",
            description = "Kubernetes backend: the kubeconfig's context (default: its current-context).")
    String context;

    @Option(
            names = "--namespace",
            defaultValue = "wasmorch-lab",
            description = "Kubernetes backend: the run's namespace; it must exist (experiment/deploy/rbac.yaml).")
    String namespace;

    @Option(
            names = "--wasm-image",
            defaultValue = "docker.io/wasmorch/{function}:wasm",
            description = "Kubernetes backend: the WASM image, {function} for the name (default: ${DEFAULT-VALUE}).")
    String wasmImage;

    @Option(
            names = "--container-image",
            defaultValue = "docker.io/wasmorch/{function}:native",
            description = "Kubernetes backend: the native image (default: ${DEFAULT-VALUE}).")
    String containerImage;

    @Option(
            names = "--runtime-class",
            defaultValue = "wasmorch",
            description = "Kubernetes backend: the WasmApps' RuntimeClass (default: ${DEFAULT-VALUE}).")
    String runtimeClass;

    @Option(
            names = "--network-mode",
            defaultValue = "host",
            description = "Kubernetes backend: the WasmApps' networkMode, host (the study's, the default) or pod.")
    String networkMode;

    @Option(
            names = "--wasm-port",
            defaultValue = "80",
            description = "Kubernetes backend: the WasmApps' port (default: ${DEFAULT-VALUE}).")
    int wasmPort;

    @Option(
            names = "--container-port",
            defaultValue = "8080",
            description = "Kubernetes backend: the native server's PORT (default: ${DEFAULT-VALUE}).")
    int containerPort;

    @Option(
            names = "--access",
            defaultValue = "port-forward",
            description = "Kubernetes backend: service (the ClusterIP: the runner runs in the cluster) or port-forward"
                    + " (to 127.0.0.1; the default).")
    String access;

    @Option(
            names = "--service-url",
            paramLabel = "NAME=URL",
            description = "Kubernetes backend: where the pods reach a backing service of the catalog (repeatable).")
    List<String> serviceUrls = new ArrayList<>();

    @Option(
            names = "--node-log",
            paramLabel = "NAME=cmd:ARGS|NAME=file:PATH",
            description = "Kubernetes backend: a node log to collect at the end into lifecycle/NAME.log, a command run"
                    + " without a shell (arguments split at spaces; {since} is @the run's start in epoch seconds),"
                    + " e.g. 'node1=cmd:ssh node1 journalctl -u k3s -o json --since {since}', or a file (repeatable)."
                    + " Without any, leave the logs to 'wasmorch stream'.")
    List<String> nodeLogs = new ArrayList<>();

    @Option(
            names = "--node-log-timeout",
            defaultValue = "120",
            paramLabel = "SECONDS",
            description = "Kubernetes backend: the most one node-log source may take (default: ${DEFAULT-VALUE}).")
    long nodeLogTimeoutSeconds;

    @Option(
            names = "--node-log-max-bytes",
            defaultValue = "1073741824",
            description = "Kubernetes backend: the most one node-log source may write (default: 1 GiB).")
    long nodeLogMaxBytes;

    /**
     * What {@code lab stream}'s job is given to read the run's pods from the API server: the
     * namespace here, the kubeconfig through {@code $KUBECONFIG} ({@link #streamEnvironment}). The
     * job takes the kubeconfig's current context, so another {@code --context} is refused, not
     * silently ignored.
     */
    public List<String> streamArguments(Path archive) {
        if (context != null) {
            throw new IllegalArgumentException("--context " + context + ": lab stream's job reads the kubeconfig's"
                    + " current context; make it current (kubectl config use-context) or leave --context out");
        }
        return List.of("--kube", "--namespace", namespace, "--archive", archive.toString());
    }

    /** The job's environment: {@code KUBECONFIG} when {@code --kubeconfig} is given. */
    public Map<String, String> streamEnvironment() {
        return kubeconfig == null
                ? Map.of()
                : Map.of("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    }

    /** The backend's settings for a run writing into {@code out}. */
    public KubernetesConfig config(Catalog catalog, Path out) {
        Map<String, ServiceUrl> services = new LinkedHashMap<>();
        for (String given : serviceUrls) {
            int eq = given.indexOf('=');
            String name = eq < 1 ? "" : given.substring(0, eq);
            var service = catalog.services().get(name);
            if (service == null) {
                throw new IllegalArgumentException("--service-url '" + given + "': NAME must be one of the catalog's"
                        + " services " + catalog.services().keySet());
            }
            services.put(name, new ServiceUrl(service.env(), given.substring(eq + 1)));
        }
        return new KubernetesConfig(
                namespace,
                wasmImage,
                containerImage,
                runtimeClass,
                networkMode,
                wasmPort,
                containerPort,
                switch (access) {
                    case "service" -> KubernetesConfig.Access.SERVICE;
                    case "port-forward" -> KubernetesConfig.Access.PORT_FORWARD;
                    default ->
                        throw new IllegalArgumentException("--access '" + access + "' is not service or port-forward");
                },
                services,
                nodeLogs.stream().map(LogSource::parse).toList(),
                Duration.ofSeconds(nodeLogTimeoutSeconds),
                nodeLogMaxBytes,
                out.resolve("cluster-pods.json"),
                "lab-" + Long.toString(Instant.now().getEpochSecond(), 36));
    }

    /**
     * The backend on the cluster of the kubeconfig (or the service account). No request goes out yet:
     * the API server is first asked in {@code prepare}.
     *
     * @throws IllegalArgumentException for an option the run cannot use, naming it
     */
    public Backend backend(Catalog catalog, Path out) {
        KubernetesConfig config = config(catalog, out);
        Config client = new ConfigBuilder(clientConfig())
                .withRequestTimeout((int) REQUEST_TIMEOUT.toMillis())
                .withConnectionTimeout(10_000)
                .build();
        return new KubernetesBackend(
                new KubernetesClientBuilder().withConfig(client).build(), config);
    }

    private Config clientConfig() {
        if (kubeconfig == null) {
            return Config.autoConfigure(context);
        }
        if (!Files.isRegularFile(kubeconfig) || !Files.isReadable(kubeconfig)) {
            throw new IllegalArgumentException("--kubeconfig " + kubeconfig + ": no readable file");
        }
        List<String> contexts;
        try {
            var parsed = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                    Files.readString(kubeconfig), io.fabric8.kubernetes.api.model.Config.class);
            contexts = parsed == null || parsed.getContexts() == null
                    ? List.of()
                    : parsed.getContexts().stream()
                            .map(io.fabric8.kubernetes.api.model.NamedContext::getName)
                            .toList();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
        // fabric8 falls back to in-cluster defaults for a context it does not find; a typo must not
        if (context != null && !contexts.contains(context)) {
            throw new IllegalArgumentException(
                    "--context " + context + ": not a context of --kubeconfig " + kubeconfig + " " + contexts);
        }
        return Config.fromKubeconfig(context, kubeconfig.toFile());
    }

    /**
     * The runtime classes pods.json records: the WasmApps' class, and for the container pods, which
     * name none, the handler a node runs them with by default ({@code runc} on K3s).
     */
    public Map<Runtime, String> runtimeClasses() {
        return Map.of(Runtime.WASM, runtimeClass.toLowerCase(Locale.ROOT), Runtime.CONTAINER, "runc");
    }
}
