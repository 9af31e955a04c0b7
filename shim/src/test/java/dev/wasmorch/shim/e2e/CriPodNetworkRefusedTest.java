package dev.wasmorch.shim.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.e2e.CriClient.Pod;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pod whose own network namespace the shim cannot enter is refused by RunPodSandbox, with the
 * reason, instead of its app listening on the node. The shim daemon here runs without
 * CAP_SYS_ADMIN (its java is started through {@code setpriv --bounding-set -sys_admin}, via the
 * launcher's WASMORCH_SHIM_JAVA), which setns(2) into a network namespace needs: what a daemon
 * with reduced privileges on a node would meet.
 */
class CriPodNetworkRefusedTest {

    /** A java that cannot gain CAP_SYS_ADMIN. */
    private static final Path JAVA = unprivilegedJava();

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = new PrivateContainerd()
            .withEnv("WASMORCH_SHIM_JAVA", JAVA.toString())
            .withEnv("WASMORCH_REDIS_URL", "redis://127.0.0.1:6379/4")
            .withEnv("WASMORCH_NODE_NAME", "node-no-netns");

    @Test
    void aPodNetworkTheShimCannotEnterFailsRunPodSandboxNamingTheReason() throws Exception {
        CriClient cri = new CriClient(CONTAINERD.node());
        Pod pod = new Pod(
                "shop",
                "web-5f6e7d8c9-z9y8x",
                "uid-web-refused",
                Files.createDirectories(CONTAINERD.dir().resolve("pods/shop_web")),
                false);
        assertThatThrownBy(() -> cri.runPodSandbox(pod, PrivateContainerd.CRI_HANDLER))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("cannot enter the network namespace")
                .hasMessageContaining("Operation not permitted")
                .hasMessageContaining("never serves them on the node's")
                .hasMessageContaining("the sandbox is refused");
        // containerd removed the failed sandbox (and CNI gave its address back): nothing runs
        assertThat(CONTAINERD.ctrIn("k8s.io", "task", "ls", "-q").ok().output()).isBlank();
        assertThat(CONTAINERD.shimLog()).doesNotContain("event=Listening");
    }

    private static Path unprivilegedJava() {
        try {
            Path dir = Files.createTempDirectory("wasmorch-no-sys-admin");
            dir.toFile().deleteOnExit();
            Path script = dir.resolve("java");
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Files.writeString(script, "#!/bin/sh\nexec setpriv --bounding-set -sys_admin -- " + java + " \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            script.toFile().deleteOnExit();
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
