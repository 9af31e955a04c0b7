package dev.wasmorch.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which network namespaces a task may join: the node's (host networking) and no other; and the
 * task's {@code linux.cgroupsPath}.
 */
class BundleConfigTest {

    @TempDir
    Path dir;

    @Test
    void joiningTheNodesNamespaceByPathIsHostNetworking() throws Exception {
        // what CRI writes for a hostNetwork pod: the sandbox's (here: this process's) namespace by path
        String own = "/proc/" + ProcessHandle.current().pid() + "/ns/net";
        BundleConfig config = BundleConfig.read(Bundles.write(dir, "app", "", netns(own)));
        config.requireHostNetwork("app");
        assertThat(config.networkNamespace()).contains(own);
    }

    @Test
    void aNewOrAnotherNamespaceIsRefusedNamingIt() throws Exception {
        BundleConfig fresh = BundleConfig.read(Bundles.write(dir, "fresh", "", "{\"type\": \"network\"}"));
        assertThatThrownBy(() -> fresh.requireHostNetwork("fresh"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("a new one")
                .hasMessageContaining("hostNetwork: true");
        BundleConfig gone = BundleConfig.read(Bundles.write(dir, "gone", "", netns("/var/run/netns/cni-gone")));
        assertThatThrownBy(() -> gone.requireHostNetwork("gone")).hasMessageContaining("/var/run/netns/cni-gone");
    }

    @Test
    void aPodsOwnNamespaceIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "a second network namespace needs root (unshare)");
        Process other = new ProcessBuilder("unshare", "--net", "sleep", "60").start();
        try {
            String path = "/proc/" + other.pid() + "/ns/net";
            awaitOtherNamespace(path);
            BundleConfig config = BundleConfig.read(Bundles.write(dir, "pod", "", netns(path)));
            assertThatThrownBy(() -> config.requireHostNetwork("pod"))
                    .hasMessageContaining(path)
                    .hasMessageContaining("own network namespace");
        } finally {
            other.destroy();
            other.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** unshare switches namespaces right after it starts; wait until it has. */
    private static void awaitOtherNamespace(String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (BundleConfig.isHostNamespace(path)) {
            assertThat(System.nanoTime())
                    .as("unshare entered a new network namespace")
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void theCgroupsPathIsReadAndMustBeAString() throws Exception {
        Path named = spec("named", "{\"linux\": {\"cgroupsPath\": \"/kubepods/pod1/abc\"}}");
        assertThat(BundleConfig.read(named).cgroupsPath()).contains("/kubepods/pod1/abc");
        assertThat(BundleConfig.read(spec("none", "{\"linux\": {}}")).cgroupsPath())
                .isEmpty();
        assertThat(BundleConfig.read(spec("empty", "{\"linux\": {\"cgroupsPath\": \"\"}}"))
                        .cgroupsPath())
                .isEmpty();
        Path number = spec("number", "{\"linux\": {\"cgroupsPath\": 7}}");
        assertThatThrownBy(() -> BundleConfig.read(number))
                .isInstanceOf(BundleException.class)
                .hasMessage(number.resolve("config.json") + ": linux.cgroupsPath must be a string, not 7");
    }

    private Path spec(String id, String json) throws java.io.IOException {
        Path bundle = java.nio.file.Files.createDirectories(dir.resolve(id));
        java.nio.file.Files.writeString(bundle.resolve("config.json"), json);
        return bundle;
    }

    private static String netns(String path) {
        return "{\"type\": \"network\", \"path\": \"" + path + "\"}";
    }
}
