package dev.wasmorch.shim.app;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the task service hands the app side for one container.
 *
 * @param containerId containerd's container ID
 * @param rootfs      the container's root file system (holds {@code spin.toml} and the modules)
 * @param namespace   the pod's namespace from the CRI annotations, or {@code null} (plain {@code ctr run})
 * @param pod         the pod name, or {@code null}
 * @param container   the container name, or {@code null}
 * @param env         the container's environment (OCI process env); passed to every module
 *                    invocation under the manifest's own {@code environment}
 * @param stdout      the container's stdout (lifecycle notes for {@code ctr}/{@code kubectl logs})
 * @param stderr      the container's stderr: modules' stderr and request failures go here
 */
public record AppSpec(
        String containerId,
        Path rootfs,
        String namespace,
        String pod,
        String container,
        Map<String, String> env,
        OutputStream stdout,
        OutputStream stderr) {

    public AppSpec {
        if (containerId == null || containerId.isBlank()) {
            throw new IllegalArgumentException("containerId is required");
        }
        if (rootfs == null) {
            throw new IllegalArgumentException("rootfs is required");
        }
        env = env == null ? Map.of() : Map.copyOf(env);
        stdout = stdout == null ? OutputStream.nullOutputStream() : stdout;
        stderr = stderr == null ? OutputStream.nullOutputStream() : stderr;
    }

    /** True when the CRI annotations named the pod, so the pod-keyed registry entry can be written. */
    public boolean hasPodIdentity() {
        return namespace != null && pod != null && container != null;
    }
}
