package dev.wasmorch.experiment.kubernetes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the kubernetes backend deploys and reaches the functions.
 *
 * @param namespace where every object of the run goes; it must exist (the runner does not create
 *     namespaces: see deploy/rbac.yaml)
 * @param wasmImage the WASM image, {@code {function}} standing for the function's name (a tag is
 *     required: it becomes the WasmApp's {@code ociImageTag})
 * @param containerImage the native image, likewise
 * @param runtimeClass the WasmApp's {@code spec.runtimeClass}
 * @param networkMode the WasmApp's {@code spec.networkMode}: {@code pod} or {@code host} (the study's)
 * @param wasmPort the WasmApp's {@code spec.port} (its Service port; in pod mode the container port)
 * @param containerPort the port the native server listens on ({@code PORT}) and its Service's port
 * @param access how the runner reaches a pod
 * @param services where each backing service of the catalog answers, by service name
 * @param nodeLogs what {@code collect} gathers from the nodes
 * @param logTimeout the most one node-log source may take
 * @param logMaxBytes the most one node-log source may write
 * @param podSnapshot where {@code collect} writes the pods as the API showed them (a Pod List);
 *     {@code null}: nowhere
 * @param runId labels every object of the run, so that {@code removeAll} finds them all
 */
public record KubernetesConfig(
        String namespace,
        String wasmImage,
        String containerImage,
        String runtimeClass,
        String networkMode,
        int wasmPort,
        int containerPort,
        Access access,
        Map<String, ServiceUrl> services,
        List<LogSource> nodeLogs,
        Duration logTimeout,
        long logMaxBytes,
        Path podSnapshot,
        String runId) {

    /** A DNS-1123 label: namespaces, and label values the run writes. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public static final String FUNCTION_PLACEHOLDER = "{function}";

    /** How the runner reaches a pod. */
    public enum Access {
        /** The Service's ClusterIP: for a runner inside the cluster. */
        SERVICE,
        /** A port-forward to the pod on 127.0.0.1: for a runner outside the cluster. */
        PORT_FORWARD
    }

    public KubernetesConfig {
        require(LABEL.matcher(namespace).matches(), "namespace '" + namespace + "' is not a DNS-1123 label");
        require(LABEL.matcher(runId).matches(), "run id '" + runId + "' is not a DNS-1123 label");
        requireImage("wasm image", wasmImage);
        requireImage("container image", containerImage);
        require(LABEL.matcher(runtimeClass).matches(), "runtime class '" + runtimeClass + "' is not a DNS-1123 label");
        require(
                networkMode.equals("pod") || networkMode.equals("host"),
                "network mode '" + networkMode + "' is not pod or host");
        requirePort("wasm port", wasmPort);
        requirePort("container port", containerPort);
        require(!logTimeout.isNegative() && !logTimeout.isZero(), "node-log timeout " + logTimeout + " must be > 0");
        require(logMaxBytes > 0, "node-log size limit " + logMaxBytes + " must be > 0");
        services = Map.copyOf(services);
        nodeLogs = List.copyOf(nodeLogs);
        long distinct = nodeLogs.stream().map(LogSource::name).distinct().count();
        require(distinct == nodeLogs.size(), "two node-log sources share a name");
    }

    /** The image of a function: the template with the function's name put in. */
    public static String image(String template, String function) {
        return template.replace(FUNCTION_PLACEHOLDER, function);
    }

    private static void requireImage(String what, String template) {
        require(template.contains(FUNCTION_PLACEHOLDER), what + " '" + template + "' lacks " + FUNCTION_PLACEHOLDER);
        String name = template.substring(template.lastIndexOf('/') + 1);
        require(name.contains(":"), what + " '" + template + "' has no tag (NAME:TAG)");
    }

    private static void requirePort(String what, int port) {
        require(port >= 1 && port <= 65535, what + " " + port + " is not 1..65535");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
