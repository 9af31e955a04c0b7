package dev.wasmorch.shim.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.pod.CriAnnotations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the shim needs from the bundle's OCI runtime spec ({@code config.json}): root path,
 * environment, annotations (CRI pod identity, sandbox marker), whether the task was given a
 * network namespace of its own, and the cgroup it is to have ({@code linux.cgroupsPath}, see
 * {@link TaskCgroups}).
 */
public record BundleConfig(
        Path file,
        String rootPath,
        Map<String, String> env,
        Map<String, String> annotations,
        Optional<String> networkNamespace,
        Optional<String> cgroupsPath) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OWN_NETWORK_NAMESPACE = Path.of("/proc/self/ns/net");

    public BundleConfig {
        env = Map.copyOf(env);
        annotations = Map.copyOf(annotations);
    }

    /** A spec that names no cgroup. */
    public BundleConfig(
            Path file,
            String rootPath,
            Map<String, String> env,
            Map<String, String> annotations,
            Optional<String> networkNamespace) {
        this(file, rootPath, env, annotations, networkNamespace, Optional.empty());
    }

    /** Reads {@code bundle/config.json}; errors name the file and the offending field. */
    public static BundleConfig read(Path bundle) throws BundleException {
        Path file = bundle.resolve("config.json");
        JsonNode spec;
        try (var in = Files.newInputStream(file)) {
            spec = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new BundleException(file + ": not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        } catch (NoSuchFileException e) {
            throw new BundleException(file + ": missing (the bundle has no OCI runtime spec)");
        } catch (IOException e) {
            throw new BundleException(file + ": cannot be read: " + e.getMessage());
        }
        if (spec == null || !spec.isObject()) {
            throw new BundleException(file + ": the OCI runtime spec must be a JSON object");
        }
        String rootPath = spec.path("root").path("path").asText("rootfs");
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envList = spec.path("process").path("env");
        for (int i = 0; i < envList.size(); i++) {
            String entry = envList.get(i).asText();
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new BundleException(file + ": process.env[" + i + "] is not NAME=VALUE: " + entry);
            }
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        spec.path("annotations")
                .fields()
                .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        Optional<String> netns = Optional.empty();
        JsonNode namespaces = spec.path("linux").path("namespaces");
        for (JsonNode ns : namespaces) {
            if ("network".equals(ns.path("type").asText())) {
                // no path: the runtime would create a fresh, empty one; with a path: join that one
                netns = Optional.of(ns.path("path").asText(""));
            }
        }
        JsonNode cgroupsPath = spec.path("linux").path("cgroupsPath");
        if (!cgroupsPath.isMissingNode() && !cgroupsPath.isNull() && !cgroupsPath.isTextual()) {
            throw new BundleException(file + ": linux.cgroupsPath must be a string, not " + cgroupsPath);
        }
        Optional<String> cgroup = Optional.ofNullable(cgroupsPath.textValue()).filter(p -> !p.isEmpty());
        return new BundleConfig(file, rootPath, env, annotations, netns, cgroup);
    }

    /** The pod sandbox (pause) container that CRI creates with the same runtime handler. */
    public boolean isSandbox() {
        return CriAnnotations.SANDBOX.equals(annotations.get(CriAnnotations.CONTAINER_TYPE));
    }

    public String podNamespace() {
        return annotations.get(CriAnnotations.SANDBOX_NAMESPACE);
    }

    public String podName() {
        return annotations.get(CriAnnotations.SANDBOX_NAME);
    }

    public String podUid() {
        return annotations.get(CriAnnotations.SANDBOX_UID);
    }

    /** An app container's pod sandbox task ID (CRI), or {@code null}. */
    public String sandboxId() {
        return annotations.get(CriAnnotations.SANDBOX_ID);
    }

    public String containerName() {
        return annotations.get(CriAnnotations.CONTAINER_NAME);
    }

    /**
     * Refuses a task that was given its own network namespace: the app's listener would otherwise
     * bind on the host while Kubernetes believes it is isolated. Joining the node's namespace is
     * host networking: CRI joins every app container to its sandbox's namespace by path
     * ({@code /proc/<sandbox pid>/ns/net}), hostNetwork pods included, and there the sandbox is
     * this shim daemon, in the node's namespace.
     */
    public void requireHostNetwork(String containerId) throws BundleException {
        if (networkNamespace.isPresent() && !isSandbox() && !isHostNamespace(networkNamespace.get())) {
            String where = networkNamespace.get().isEmpty() ? "a new one" : networkNamespace.get();
            throw new BundleException("task " + containerId + ": " + file + " gives it its own network namespace ("
                    + "linux.namespaces type=network, " + where + "); the wasmorch shim serves apps on the host "
                    + "network only: run the pod with hostNetwork: true (ctr run: --net-host)");
        }
    }

    /** Whether the namespace file is the one this process runs in (same nsfs inode). */
    static boolean isHostNamespace(String path) {
        if (path.isEmpty()) {
            return false; // a fresh namespace the runtime would create
        }
        try {
            return Files.isSameFile(Path.of(path), OWN_NETWORK_NAMESPACE);
        } catch (IOException e) {
            return false; // unreadable or gone: not provably the node's, so refused
        }
    }
}
