package dev.wasmorch.shim.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmorch.shim.proto.task.CreateTaskRequest;
import dev.wasmorch.shim.proto.task.DeleteResponse;
import dev.wasmorch.shim.proto.task.StartRequest;
import dev.wasmorch.shim.proto.task.StateRequest;
import dev.wasmorch.shim.proto.task.StateResponse;
import dev.wasmorch.shim.proto.types.task.Status;
import dev.wasmorch.shim.task.Protos;
import dev.wasmorch.shim.task.TaskService;
import dev.wasmorch.shim.ttrpc.TtrpcClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's {@code start} and {@code delete} subcommands as containerd runs them (flags, cwd =
 * bundle, stdout read as the address or as a DeleteResponse), with a real daemon JVM behind them.
 * The launcher is the C binary the build puts into target/bin (src/main/c/launcher.c).
 */
class LauncherTest {

    static final Path LAUNCHER =
            Path.of("target", "bin", "containerd-shim-wasmorch-v1").toAbsolutePath();

    @TempDir
    Path tmp;

    private final List<Long> daemons = new ArrayList<>();

    @AfterEach
    void stopDaemons() throws Exception {
        for (long pid : daemons) {
            ProcessHandle h = ProcessHandle.of(pid).orElse(null);
            if (h != null) {
                h.destroy();
                h.onExit().get(15, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void startPrintsOnlyTheDaemonAddressAndReusesTheRunningDaemon() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("bundle-a"));
        Result first = launch(
                bundle,
                "-namespace",
                "k8s.io",
                "-address",
                "/run/ctd-a.sock",
                "-publish-binary",
                "/usr/bin/containerd",
                "-id",
                "a",
                "-debug",
                "start");
        assertThat(first.exit).as(first.stderr).isZero();
        // containerd reads stdout and stderr together: nothing but the address may appear
        assertThat(first.stderr).isEmpty();
        String address = first.stdout.trim();
        assertThat(address).startsWith("unix://" + tmp.resolve("state")).endsWith("/shim.sock");
        assertThat(Files.readString(bundle.resolve("address"))).isEqualTo(address);
        Path sock = Path.of(address.substring("unix://".length()));
        long pid = Long.parseLong(
                Files.readString(sock.resolveSibling("daemon.pid")).trim());
        daemons.add(pid);

        Result second = launch(
                Files.createDirectories(tmp.resolve("bundle-b")),
                "-namespace",
                "k8s.io",
                "-address",
                "/run/ctd-a.sock",
                "-publish-binary",
                "/usr/bin/containerd",
                "-id",
                "b",
                "start");
        assertThat(second.stdout.trim()).isEqualTo(address);
        assertThat(Long.parseLong(
                        Files.readString(sock.resolveSibling("daemon.pid")).trim()))
                .isEqualTo(pid);

        // another containerd gets a daemon of its own: its events must go to that containerd
        Result other = launch(
                Files.createDirectories(tmp.resolve("bundle-c")),
                "-namespace",
                "k8s.io",
                "-address",
                "/run/ctd-b.sock",
                "-publish-binary",
                "/usr/bin/containerd",
                "-id",
                "c",
                "start");
        assertThat(other.stdout.trim()).isNotEqualTo(address);
        daemons.add(Long.parseLong(
                Files.readString(Path.of(other.stdout.trim().substring(7)).resolveSibling("daemon.pid"))
                        .trim()));

        // the daemon answers the task API: no task "a" yet
        try (TtrpcClient client = TtrpcClient.connect(address)) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                    Exception.class,
                    () -> client.call(
                            TaskService.NAME,
                            "State",
                            StateRequest.newBuilder().setId("a").build().toByteArray(),
                            Map.of(),
                            Duration.ofSeconds(5)));
            assertThat(e).hasMessageContaining("not found");
        }
    }

    @Test
    void deleteKillsAndDeletesATaskTheDaemonStillHoldsAndPrintsADeleteResponse() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("sb"));
        Files.writeString(
                bundle.resolve("config.json"),
                "{\"annotations\": {\"io.kubernetes.cri.container-type\": \"sandbox\"}}");
        Result start = launch(bundle, "-namespace", "ns1", "-address", "/run/ctd.sock", "-id", "sb", "start");
        String address = start.stdout.trim();
        daemons.add(
                Long.parseLong(Files.readString(Path.of(address.substring(7)).resolveSibling("daemon.pid"))
                        .trim()));
        try (TtrpcClient client = TtrpcClient.connect(address)) {
            Map<String, String> md = Map.of(TaskService.NAMESPACE_KEY, "ns1");
            client.call(
                    TaskService.NAME,
                    "Create",
                    CreateTaskRequest.newBuilder()
                            .setId("sb")
                            .setBundle(bundle.toString())
                            .build()
                            .toByteArray(),
                    md,
                    Duration.ofSeconds(10));
            client.call(
                    TaskService.NAME,
                    "Start",
                    StartRequest.newBuilder().setId("sb").build().toByteArray(),
                    md,
                    Duration.ofSeconds(10));
            assertThat(StateResponse.parseFrom(client.call(
                                    TaskService.NAME,
                                    "State",
                                    StateRequest.newBuilder()
                                            .setId("sb")
                                            .build()
                                            .toByteArray(),
                                    md,
                                    Duration.ofSeconds(5)))
                            .getStatus())
                    .isEqualTo(Status.RUNNING);
        }
        Instant before = Instant.now();
        Result delete = launchBytes(
                tmp,
                "-namespace",
                "ns1",
                "-address",
                "/run/ctd.sock",
                "-publish-binary",
                "/usr/bin/containerd",
                "-id",
                "sb",
                "-bundle",
                bundle.toString(),
                "delete");
        assertThat(delete.exit).as(delete.stderr).isZero();
        DeleteResponse response = DeleteResponse.parseFrom(delete.raw);
        assertThat(response.getExitStatus()).isEqualTo(137);
        assertThat(Protos.instant(response.getExitedAt())).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(response.getPid()).isEqualTo(daemons.get(0).intValue());

        // a task nobody knows (already deleted): still a well-formed answer, as containerd needs one
        Result again = delete("sb", bundle);
        assertThat(DeleteResponse.parseFrom(again.raw).getExitStatus()).isEqualTo(137);
        assertThat(again.stderr).isEmpty();
    }

    @Test
    void concurrentStartsLaunchOneDaemon() throws Exception {
        List<java.util.concurrent.Future<Result>> starts = new ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (String id : List.of("x", "y", "z")) {
                Path bundle = Files.createDirectories(tmp.resolve("bundle-" + id));
                starts.add(pool.submit(
                        () -> launch(bundle, "-namespace", "k8s.io", "-address", "/run/ctd.sock", "-id", id, "start")));
            }
            List<String> addresses = new ArrayList<>();
            for (var f : starts) {
                Result r = f.get(120, TimeUnit.SECONDS);
                assertThat(r.exit).as(r.stderr).isZero();
                addresses.add(r.stdout.trim());
            }
            assertThat(addresses).containsOnly(addresses.get(0));
            Path dir = Path.of(addresses.get(0).substring(7)).getParent();
            daemons.add(
                    Long.parseLong(Files.readString(dir.resolve("daemon.pid")).trim()));
            // one JVM started: its log has one start-up line (written just after the socket is bound,
            // so possibly after the launchers returned)
            Path log = dir.resolve("daemon.log");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (startLines(log) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(startLines(log)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long startLines(Path daemonLog) throws IOException {
        return Files.readString(daemonLog)
                .lines()
                .filter(l -> l.startsWith("wasmorch-shim daemon "))
                .count();
    }

    @Test
    void deleteWithoutADaemonUnmountsTheRootfsAndReportsTheTaskKilled() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        Path bundle = Files.createDirectories(tmp.resolve("gone"));
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", rootfs.toString())
                .inheritIO()
                .start();
        assertThat(mount.waitFor()).isZero();
        assertThat(dev.wasmorch.shim.task.MountInfo.isMounted(rootfs)).isTrue();
        Instant before = Instant.now();
        Result delete = delete("gone", bundle);
        assertThat(delete.exit).as(delete.stderr).isZero();
        assertThat(delete.stderr).isEmpty();
        assertThat(dev.wasmorch.shim.task.MountInfo.isMounted(rootfs)).isFalse();
        DeleteResponse response = DeleteResponse.parseFrom(delete.raw);
        assertThat(response.getExitStatus()).isEqualTo(137);
        assertThat(response.getPid()).isZero();
        assertThat(Protos.instant(response.getExitedAt()))
                .isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    }

    @Test
    void deleteWithoutADaemonRemovesTheRecordedCgroupsAsFarAsEmptyAndRefusesEveryOtherLine() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "cgroups need root");
        Path hierarchy = aCgroupHierarchy();
        Path top =
                hierarchy.resolve("wasmorch-launcher-" + ProcessHandle.current().pid());
        Path pod = top.resolve("pod");
        Path app = Files.createDirectories(pod.resolve("app"));
        Path other = Files.createDirectories(pod.resolve("other")); // another task's: keeps the pod
        Path bundle = Files.createDirectories(tmp.resolve("crashed"));
        Path record = bundle.resolve("wasmorch-cgroups");
        try {
            Files.writeString(
                    record,
                    String.join(
                            "\n",
                            app.toString(),
                            pod.toString(),
                            top.toString(),
                            "/etc",
                            "/sys/fs/cgroup/../../etc",
                            hierarchy + "//x",
                            hierarchy + "/./x",
                            "relative/x",
                            hierarchy + "/cgroup.procs",
                            hierarchy + "/" + "x".repeat(5000),
                            hierarchy + "/\u001b[31mforged/..",
                            app + "/gone"));
            Result delete = delete("crashed", bundle);
            assertThat(delete.exit).as(delete.stderr).isZero();
            assertThat(app).doesNotExist();
            assertThat(other).isDirectory();
            assertThat(top).as("above a cgroup that stays").isDirectory();
            assertThat(delete.stderr.lines())
                    .as("one line for each refused line, naming the file and the line")
                    .zipSatisfy(
                            List.of(4, 5, 6, 7, 8, 9, 10, 11),
                            (message, line) -> assertThat(message)
                                    .startsWith("wasmorch-shim delete ns1/crashed: " + record + ":" + line + ": "))
                    .anySatisfy(m -> assertThat(m).endsWith("refused: not a path below /sys/fs/cgroup/: \"/etc\""))
                    .anySatisfy(m -> assertThat(m).contains(":9: " + hierarchy + "/cgroup.procs: Not a directory"))
                    .anySatisfy(m -> assertThat(m).contains(":10: refused: line too long: \"" + hierarchy + "/xxx"))
                    .anySatisfy(m -> assertThat(m)
                            .endsWith(":11: refused: an empty, \".\" or \"..\" name in the path: \"" + hierarchy
                                    + "/?[31mforged/..\""));
            assertThat(record).as("the record, once used").doesNotExist();
            assertThat(DeleteResponse.parseFrom(delete.raw).getExitStatus()).isEqualTo(137);
        } finally {
            for (Path dir : List.of(app, other, pod, top)) {
                Files.deleteIfExists(dir);
            }
        }
    }

    @Test
    void aCgroupRecordTooLargeIsRefusedWhole() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("large"));
        Path record = Files.writeString(bundle.resolve("wasmorch-cgroups"), "/sys/fs/cgroup/x\n".repeat(5000));
        Result delete = delete("large", bundle);
        assertThat(delete.exit).as(delete.stderr).isZero();
        assertThat(delete.stderr)
                .isEqualTo("wasmorch-shim delete ns1/large: " + record + ": refused: not a regular file of at most "
                        + "65536 bytes; its cgroups are not removed\n");
        assertThat(record).doesNotExist();
    }

    /** The cgroup v2 root, or a cgroup v1 hierarchy, from mountinfo (mount point field 5, type after "-"). */
    private static Path aCgroupHierarchy() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            List<String> f = List.of(line.split(" "));
            int dash = f.indexOf("-");
            if (dash > 0 && f.get(dash + 1).startsWith("cgroup") && f.get(4).startsWith("/sys/fs/cgroup")) {
                return Path.of(f.get(4));
            }
        }
        throw new IllegalStateException("no cgroup hierarchy mounted under /sys/fs/cgroup");
    }

    @Test
    void aLongStateDirGetsAHashedDaemonKeyThatFitsASocketPath() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("s".repeat(40)));
        Path bundle = Files.createDirectories(tmp.resolve("long"));
        String address = "/run/k3s/containerd/" + "very-long-containerd-address-".repeat(2) + "containerd.sock";
        Result r = launch(
                bundle,
                Map.of("WASMORCH_SHIM_STATE_DIR", state.toString()),
                "-namespace",
                "k8s.io",
                "-address",
                address,
                "-id",
                "long",
                "start");
        assertThat(r.exit).as(r.stderr).isZero();
        Path sock = Path.of(r.stdout.trim().substring(7));
        daemons.add(Long.parseLong(
                Files.readString(sock.resolveSibling("daemon.pid")).trim()));
        assertThat(sock.getParent().getParent()).isEqualTo(state);
        assertThat(sock.getParent().getFileName().toString()).matches("[0-9a-f]{16}");
        // the same containerd and namespace find the same daemon again
        Result again = launch(
                Files.createDirectories(tmp.resolve("long2")),
                Map.of("WASMORCH_SHIM_STATE_DIR", state.toString()),
                "-namespace",
                "k8s.io",
                "-address",
                address,
                "-id",
                "long2",
                "start");
        assertThat(again.stdout.trim()).isEqualTo(r.stdout.trim());
    }

    @Test
    void aDaemonStoppedDuringItsBackgroundWarmUpLeavesNoTemporaryFiles() throws Exception {
        Path daemonTmp = Files.createDirectories(tmp.resolve("daemon-tmp"));
        Result r = launch(
                Files.createDirectories(tmp.resolve("warm")),
                Map.of("WASMORCH_SHIM_JAVA_OPTS", "-Djava.io.tmpdir=" + daemonTmp + " -Xss1m"),
                "-namespace",
                "warm",
                "-address",
                "/run/ctd.sock",
                "-id",
                "w",
                "start");
        assertThat(r.exit).as(r.stderr).isZero();
        Path dir = Path.of(r.stdout.trim().substring(7)).getParent();
        long pid = Long.parseLong(Files.readString(dir.resolve("daemon.pid")).trim());
        // the 300 background rounds take seconds: the daemon is stopped in the middle of them
        assertThat(Files.readString(dir.resolve("daemon.log"))).doesNotContain(ShimMain.WARM_UP_DONE);
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
        daemon.destroy();
        daemon.onExit().get(15, TimeUnit.SECONDS);
        try (var left = Files.list(daemonTmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("wasmorch-warm-up"));
        }
    }

    @Test
    void badInvocationsFailWithUsage() throws Exception {
        Result noAction = launch(tmp, "-namespace", "n", "-id", "x");
        assertThat(noAction.exit).isEqualTo(2);
        assertThat(noAction.stderr).contains("no action");
        Result unknown = launch(tmp, "-bogus", "start");
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.stderr).contains("unknown argument: -bogus");
    }

    private Result launch(Path cwd, String... args) throws IOException, InterruptedException {
        return launch(cwd, Map.of(), args);
    }

    private Result launch(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Result r = launchBytes(cwd, env, args);
        return new Result(r.exit, new String(r.raw, StandardCharsets.UTF_8), r.stderr, r.raw);
    }

    /** containerd's delete of task {@code id} in namespace ns1, the launcher's raw output kept. */
    private Result delete(String id, Path bundle) throws IOException, InterruptedException {
        return launchBytes(
                tmp,
                "-namespace",
                "ns1",
                "-address",
                "/run/ctd.sock",
                "-id",
                id,
                "-bundle",
                bundle.toString(),
                "delete");
    }

    private Result launchBytes(Path cwd, String... args) throws IOException, InterruptedException {
        return launchBytes(cwd, Map.of(), args);
    }

    private Result launchBytes(Path cwd, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        Path stderr = Files.createTempFile(tmp, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(stderr.toFile());
        pb.environment().put("WASMORCH_SHIM_STATE_DIR", tmp.resolve("state").toString());
        pb.environment().put("WASMORCH_MODULE_STORE", tmp.resolve("modules").toString());
        pb.environment().put("WASMORCH_SHIM_CLASSPATH", classPath());
        pb.environment()
                .put("TTRPC_ADDRESS", tmp.resolve("no-containerd.sock.ttrpc").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), "", Files.readString(stderr), out);
    }

    /** The class path of this test run: the launcher starts the daemon from it. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
    }

    private record Result(int exit, String stdout, String stderr, byte[] raw) {}
}
