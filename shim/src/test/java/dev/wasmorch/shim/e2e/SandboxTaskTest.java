package dev.wasmorch.shim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.contract.crinode.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shim under a real containerd with tasks that need no WASM: a CRI pod sandbox lives until it is
 * killed, its events reach containerd, and a task given its own network namespace is refused while
 * the daemon keeps serving.
 */
class SandboxTaskTest {

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = new PrivateContainerd();

    private static final String SANDBOX = "io.kubernetes.cri.container-type=sandbox";

    @Test
    void sandboxTaskRunsUntilKilledAndIsDeletedWithEvents() throws Exception {
        Process events = new ProcessBuilder("ctr", "-a", CONTAINERD.socket().toString(), "events")
                .redirectErrorStream(true)
                .redirectOutput(CONTAINERD.dir().resolve("events.log").toFile())
                .start();
        try {
            run("sb1", SANDBOX, "--net-host").ok();
            assertThat(CONTAINERD.taskStatus("sb1")).isEqualTo("RUNNING");
            // the pod's namespaces would belong to a sandbox: CRI gives it one even for WASM pods
            run("sb2", SANDBOX, "--with-ns", "network:/proc/self/ns/net").ok();
            assertThat(CONTAINERD.taskStatus("sb2")).isEqualTo("RUNNING");

            CONTAINERD.ctr("task", "kill", "-s", "SIGKILL", "sb1").ok();
            CONTAINERD.awaitStatus("sb1", "STOPPED");
            CONTAINERD.ctr("task", "delete", "sb1").ok();
            assertThat(CONTAINERD.ctr("task", "ls").output())
                    .doesNotContain("sb1")
                    .contains("sb2");
            CONTAINERD.ctr("task", "kill", "-s", "SIGTERM", "sb2").ok();
            CONTAINERD.awaitStatus("sb2", "STOPPED");
            // a graceful stop exits 0: ctr warns of a "non-zero exit code" otherwise
            assertThat(CONTAINERD.ctr("task", "delete", "sb2").ok().output()).doesNotContain("exit code");
            CONTAINERD.ctr("container", "delete", "sb1", "sb2").ok();
        } finally {
            events.destroy();
            events.waitFor(5, TimeUnit.SECONDS);
        }
        String seen = Files.readString(CONTAINERD.dir().resolve("events.log"));
        for (String topic : new String[] {"/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"}) {
            assertThat(seen).as("events containerd received").contains(topic);
        }
        // ctr prints each event as containerd decoded it from the shim's generated messages (JSON)
        assertThat(seen.lines())
                .as("sb1's TaskExit as containerd decoded it")
                .anyMatch(l -> l.contains(" /tasks/exit ")
                        && l.contains("\"container_id\":\"sb1\"")
                        && l.contains("\"id\":\"sb1\"")
                        && l.contains("\"exit_status\":137"));
        assertThat(seen.lines())
                .as("sb2's TaskDelete as containerd decoded it: exit status 0, which JSON leaves out")
                .anyMatch(l -> l.contains(" /tasks/delete ")
                        && l.contains("\"container_id\":\"sb2\"")
                        && !l.contains("\"exit_status\""));
        assertThat(CONTAINERD.shimLog())
                .contains("event=TaskCreated")
                .contains("cid=sb1")
                .contains("pod=sb1")
                .contains("component=wasmorch-shim");
    }

    @Test
    void appWithItsOwnNetworkNamespaceIsRefusedAndTheDaemonKeepsServing() throws Exception {
        // a pod network namespace as CNI would give it: another process's, not the node's
        Process podNetwork = new ProcessBuilder("unshare", "--net", "sleep", "120").start();
        try {
            Path netns = Path.of("/proc/" + podNetwork.pid() + "/ns/net");
            while (Files.isSameFile(netns, Path.of("/proc/self/ns/net"))) {
                Thread.sleep(10); // unshare switches right after it starts
            }
            Command.Result refused = run("iso1", null, "--with-ns", "network:" + netns);
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.output()).contains("own network namespace").contains("hostNetwork");
        } finally {
            podNetwork.destroy();
        }
        Command.Result fresh = run("iso2", null);
        assertThat(fresh.exit()).isNotZero();
        assertThat(fresh.output()).contains("own network namespace");
        CONTAINERD.ctr("container", "delete", "iso1", "iso2");

        run("sb3", SANDBOX, "--net-host").ok();
        assertThat(CONTAINERD.taskStatus("sb3")).isEqualTo("RUNNING");
        CONTAINERD.ctr("task", "kill", "-s", "SIGKILL", "sb3").ok();
        CONTAINERD.awaitStatus("sb3", "STOPPED");
        CONTAINERD.ctr("task", "delete", "sb3").ok();
        CONTAINERD.ctr("container", "delete", "sb3").ok();
    }

    private static Command.Result run(String id, String annotation, String... extra)
            throws IOException, InterruptedException {
        Path rootfs = Files.createDirectories(CONTAINERD.dir().resolve("rootfs-" + id));
        var args = new java.util.ArrayList<>(java.util.List.of(
                "run",
                "-d",
                "--runtime",
                PrivateContainerd.RUNTIME,
                "--fifo-dir",
                CONTAINERD.dir().resolve("fifo").toString()));
        if (annotation != null) {
            args.addAll(java.util.List.of("--annotation", annotation));
        }
        args.addAll(java.util.List.of(extra));
        args.addAll(java.util.List.of("--rootfs", rootfs.toString(), id));
        return CONTAINERD.ctr(args.toArray(String[]::new));
    }
}
