package dev.wasmorch.shim.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.shim.registry.PortRegistration;
import dev.wasmorch.shim.task.ThreadNiceTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * {@code containerd-shim-wasmorch-v1 -namespace NS -address ADDR daemon} as a service manager runs
 * it (shim/deploy/wasmorch-shim.service): the node's daemon started ahead of the first pod, in the
 * foreground, with the launcher's start finding it; a second instance watching it; a stop passed on.
 * The launcher is the C binary in target/bin, the daemon a real JVM, Redis the local one (database 2).
 */
class DaemonCommandTest {

    private static final Path LAUNCHER = LauncherTest.LAUNCHER;
    private static final String REDIS = "redis://127.0.0.1:6379/2";
    private static final String NODE = "node-daemon-command";

    @TempDir
    Path tmp;

    @Test
    void startsTheDaemonAheadOfTheFirstTaskRemovesItsPredecessorsPortsAndStopsOnSigterm() throws Exception {
        String address = "/run/ctd-daemon-cmd.sock"; // no containerd needed before the first event
        Path dir = tmp.resolve("state").resolve("k8s.io@" + address.replaceAll("[^A-Za-z0-9._-]", "_"));
        // what a crashed daemon of the same node, containerd and namespace left in Redis
        PortRegistration left =
                new PortRegistration(40000, "cid-left-by-a-crash", "default", "hello-1", "hello", NODE, "10.0.0.1");
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(REDIS))) {
            String json = left.toJson(Instant.now(), NODE + ":" + dir.resolve("shim.sock"));
            redis.set(left.cidKey(), json);
            redis.set(left.podKey().orElseThrow(), json);
            redis.sadd(left.setKey().orElseThrow(), "hello");

            Process daemon = command(tmp.resolve("first.out"), "-namespace", "k8s.io", "-address", address, "daemon");
            Process watcher = null;
            try {
                String serving = awaitLine(tmp.resolve("first.out"), "serves unix://", daemon);
                assertThat(serving).contains(dir.resolve("shim.sock").toString());
                long pid = Long.parseLong(
                        Files.readString(dir.resolve("daemon.pid")).trim());
                assertThat(serving).startsWith("wasmorch shim daemon " + pid + " ");
                assertThat(redis.exists(left.cidKey())).isFalse();
                assertThat(redis.exists(left.podKey().orElseThrow())).isFalse();
                assertThat(redis.sismember(left.setKey().orElseThrow(), "hello"))
                        .isFalse();
                assertThat(Files.readString(dir.resolve("daemon.log"))).contains("removed 1 port registration(s)");
                warmUpRunsAtTheLowestPriorityAndLeavesNoThreadOfIt(pid, dir.resolve("daemon.log"));

                // containerd's start of the first task finds the daemon running: no JVM on its path
                Path bundle = Files.createDirectories(tmp.resolve("bundle"));
                ProcessBuilder containerdStart = new ProcessBuilder(
                                LAUNCHER.toString(), "-namespace", "k8s.io", "-address", address, "-id", "t1", "start")
                        .directory(bundle.toFile())
                        .redirectErrorStream(true);
                containerdStart
                        .environment()
                        .put("WASMORCH_SHIM_STATE_DIR", tmp.resolve("state").toString());
                Process start = containerdStart.start();
                assertThat(new String(start.getInputStream().readAllBytes()).trim())
                        .isEqualTo("unix://" + dir.resolve("shim.sock"));
                assertThat(start.waitFor()).isZero();
                assertThat(Long.parseLong(
                                Files.readString(dir.resolve("daemon.pid")).trim()))
                        .isEqualTo(pid);

                // a second instance (the service restarted while the daemon lives) watches the same daemon
                watcher = command(tmp.resolve("second.out"), "-namespace", "k8s.io", "-address", address, "daemon");
                assertThat(awaitLine(tmp.resolve("second.out"), "already serves", watcher))
                        .isEqualTo("wasmorch shim daemon " + pid + " already serves unix://" + dir.resolve("shim.sock")
                                + "; watching it");

                daemon.destroy(); // SIGTERM, as systemctl stop sends it
                assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(daemon.exitValue()).isZero();
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .isFalse();
                assertThat(Files.readString(tmp.resolve("first.out")))
                        .contains("daemon " + pid + " stopped (signal 15)");
                // the watcher sees it end and says so with a failure, for its service manager to restart it
                assertThat(watcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(watcher.exitValue()).isEqualTo(1);
                assertThat(Files.readString(tmp.resolve("second.out"))).contains("daemon " + pid + " ended");
            } finally {
                for (Process p : new Process[] {daemon, watcher}) {
                    if (p != null) {
                        p.destroy();
                        p.waitFor(20, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    /**
     * The background warm-up's thread runs at nice 19 while it lasts (a second or more), and no
     * thread left when it is done has its nice value: none that serves pods was made by it.
     */
    private static void warmUpRunsAtTheLowestPriorityAndLeavesNoThreadOfIt(long pid, Path log) throws Exception {
        Set<Integer> warmUpNice = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(log).contains(ShimMain.WARM_UP_DONE)) {
            assertThat(System.nanoTime()).as("the warm-up's end within 120 s").isLessThan(deadline);
            niceOfThreads(pid).forEach((name, nice) -> {
                if (name.startsWith("wasmorch-warm")) { // comm holds 15 characters of a thread's name
                    warmUpNice.add(nice);
                }
            });
            Thread.sleep(20);
        }
        // contains, not only: a poll may see the thread in the moment between its start and its lowering
        assertThat(warmUpNice).as("the warm-up thread's nice values seen").contains(19);
        assertThat(niceOfThreads(pid).values())
                .as("the daemon's threads after the warm-up")
                .containsOnly(0);
    }

    /** Each thread's name (comm) and nice value (stat field 19), from proc(5); threads that end meanwhile are left out. */
    private static Map<String, Integer> niceOfThreads(long pid) throws IOException {
        Map<String, Integer> nice = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    nice.put(
                            Files.readString(task.resolve("comm")).trim() + "#" + task.getFileName(),
                            ThreadNiceTest.niceOf(task.resolve("stat")));
                } catch (IOException ended) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return nice;
    }

    @Test
    void withoutAddressOrNamespaceItFailsNamingWhatIsMissing() throws Exception {
        Process noAddress = command(tmp.resolve("a.out"), "-namespace", "k8s.io", "daemon");
        assertThat(noAddress.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(noAddress.exitValue()).isEqualTo(2);
        assertThat(Files.readString(tmp.resolve("a.out")))
                .contains("daemon needs -namespace")
                .contains("-address");
        Process relative = command(
                tmp.resolve("b.out"),
                Map.of("WASMORCH_SHIM_STATE_DIR", "relative/state"),
                "-namespace",
                "k8s.io",
                "-address",
                "/run/x.sock",
                "daemon");
        assertThat(relative.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(relative.exitValue()).isEqualTo(2);
        assertThat(Files.readString(tmp.resolve("b.out"))).contains("WASMORCH_SHIM_STATE_DIR must be an absolute path");
    }

    private Process command(Path output, String... args) throws IOException {
        return command(output, Map.of(), args);
    }

    private Process command(Path output, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("WASMORCH_SHIM_STATE_DIR", tmp.resolve("state").toString());
        pb.environment().put("WASMORCH_MODULE_STORE", tmp.resolve("modules").toString());
        pb.environment().put("WASMORCH_SHIM_CLASSPATH", LauncherTest.classPath());
        pb.environment().put("WASMORCH_REDIS_URL", REDIS);
        pb.environment().put("WASMORCH_NODE_NAME", NODE);
        pb.environment().putAll(env);
        return pb.start();
    }

    private static String awaitLine(Path output, String marker, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(output) ? Files.readString(output) : "";
            for (String line : text.lines().toList()) {
                if (line.contains(marker)) {
                    return line;
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError("the command ended (" + p.exitValue() + ") without '" + marker + "': " + text);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line with '" + marker + "' within 90 s: " + Files.readString(output));
    }
}
