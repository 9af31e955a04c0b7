package dev.wasmorch.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.wasmorch.shim.proto.cgroups.CPUStat;
import dev.wasmorch.shim.proto.cgroups.MemoryEvents;
import dev.wasmorch.shim.proto.cgroups.MemoryStat;
import dev.wasmorch.shim.proto.cgroups.Metrics;
import dev.wasmorch.shim.proto.events.TaskExit;
import dev.wasmorch.shim.proto.task.CreateTaskRequest;
import dev.wasmorch.shim.proto.task.DeleteResponse;
import dev.wasmorch.shim.proto.task.ShutdownRequest;
import dev.wasmorch.shim.proto.task.StateRequest;
import dev.wasmorch.shim.proto.task.StatsResponse;
import dev.wasmorch.shim.proto.task.UpdateTaskRequest;
import dev.wasmorch.shim.proto.types.task.Status;
import dev.wasmorch.shim.ttrpc.RpcCode;
import dev.wasmorch.shim.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task lifecycle containerd drives, with apps played by {@link FakeApps}. */
class TaskManagerTest {

    private static final String NS = "k8s.io";
    private static final Instant NOW = Instant.parse("2026-11-26T21:24:09.123456Z");

    @TempDir
    Path tmp;

    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final FakeApps apps = new FakeApps();
    private TaskManager tasks;

    @BeforeEach
    void setUp() {
        tasks = new TaskManager(
                apps,
                (ns, e) -> {
                    assertThat(ns).isEqualTo(NS);
                    events.add(e);
                },
                new LifecycleLog(log::add, Clock.fixed(NOW, ZoneOffset.UTC), "agent-1"),
                Clock.fixed(NOW, ZoneOffset.UTC),
                4242);
    }

    @Test
    void sandboxLivesUntilKilledAndReportsEveryStep() throws Exception {
        Path bundle = Bundles.sandbox(tmp, "sb");
        assertThat(tasks.create(NS, request("sb", bundle))).isEqualTo(4242);
        assertThat(tasks.state(NS, "sb", "").getStatus()).isEqualTo(Status.CREATED);
        tasks.start(NS, "sb", "");
        assertThat(tasks.state(NS, "sb", "").getStatus()).isEqualTo(Status.RUNNING);
        assertThat(tasks.pids(NS, "sb")).containsExactly(4242);
        CompletableFuture<ExitStatus> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return tasks.await(NS, "sb", "");
            } catch (TtrpcException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(apps.started).isEmpty(); // no WASM for a sandbox
        tasks.kill(NS, "sb", "", 0); // liveness probe only
        assertThat(waited).isNotDone();
        tasks.kill(NS, "sb", "", 9);
        assertThat(waited.get(5, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(137, NOW));
        assertThatThrownBy(() -> tasks.kill(NS, "sb", "", 9)).satisfies(e -> assertCode(e, RpcCode.NOT_FOUND));
        assertThat(tasks.delete(NS, "sb", ""))
                .isEqualTo(DeleteResponse.newBuilder()
                        .setPid(4242)
                        .setExitStatus(137)
                        .setExitedAt(Protos.timestamp(NOW))
                        .build());
        assertThatThrownBy(() -> tasks.state(NS, "sb", "")).satisfies(e -> assertCode(e, RpcCode.NOT_FOUND));
        assertThat(events)
                .extracting(TaskEvent::topic)
                .containsExactly("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete");
        assertThat(events.get(2))
                .isEqualTo(new TaskEvent(
                        "/tasks/exit",
                        TaskExit.newBuilder()
                                .setContainerId("sb")
                                .setId("sb")
                                .setPid(4242)
                                .setExitStatus(137)
                                .setExitedAt(Protos.timestamp(NOW))
                                .build()));
        assertThat(log)
                .containsExactly(
                        "WASMORCH-LIFECYCLE/1 "
                                + "ts=2026-11-26T21:24:09.123456Z event=TaskCreated ns=default pod=hello-abc "
                                + "uid=6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10 node=agent-1 host=agent-1 component=wasmorch-shim cid=sb");
    }

    /** containerd's CRI deletes a task (closing the connection) once Wait returns: Kill must reply first. */
    @Test
    void killRepliesAtOnceAndTheTaskExitsWhenItsAppHasStopped() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        apps.stopGate = gate;
        tasks.create(NS, request("slow", Bundles.app(tmp, "slow")));
        tasks.start(NS, "slow", "");
        CompletableFuture<ExitStatus> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return tasks.await(NS, "slow", "");
            } catch (TtrpcException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture.runAsync(() -> {
                    try {
                        tasks.kill(NS, "slow", "", 15);
                    } catch (TtrpcException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .get(5, TimeUnit.SECONDS); // returns while the app is still closing
        assertThat(waited).isNotDone();
        assertThat(tasks.state(NS, "slow", "").getStatus()).isEqualTo(Status.RUNNING);
        assertThat(events).extracting(TaskEvent::topic).doesNotContain("/tasks/exit");

        gate.countDown();
        assertThat(waited.get(5, TimeUnit.SECONDS).code()).as("a graceful stop").isZero();
        assertThat(apps.started.get(0).stopped).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.stream().noneMatch(e -> e.topic().equals("/tasks/exit")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(events).extracting(TaskEvent::topic).containsExactly("/tasks/create", "/tasks/start", "/tasks/exit");
    }

    @Test
    void appGetsSpecFromTheBundleAndIsStoppedOnKill() throws Exception {
        Path bundle = Bundles.app(tmp, "app");
        tasks.create(NS, request("app", bundle));
        tasks.start(NS, "app", "");
        TaskSpec spec = apps.started.get(0).spec;
        assertThat(spec.rootfs()).isEqualTo(bundle.resolve("rootfs"));
        assertThat(spec.config().env()).containsEntry("GREETING", "hi=there");
        assertThat(spec.config().podNamespace()).isEqualTo("default");
        assertThat(spec.config().podName()).isEqualTo("hello-abc");
        assertThat(spec.config().containerName()).isEqualTo("hello");
        assertThatThrownBy(() -> tasks.delete(NS, "app", ""))
                .satisfies(e -> assertCode(e, RpcCode.FAILED_PRECONDITION));
        tasks.kill(NS, "app", "", 15);
        assertThat(tasks.await(NS, "app", "").code()).isZero();
        assertThat(apps.started.get(0).stopped)
                .as("stopped before Wait returns")
                .isTrue();
        assertThat(tasks.delete(NS, "app", "").getExitStatus()).isZero();
        assertThat(log).singleElement().asString().contains("container=hello cid=app");
    }

    @Test
    void appThatEndsByItselfReportsItsExitCode() throws Exception {
        tasks.create(NS, request("app", Bundles.app(tmp, "app")));
        tasks.start(NS, "app", "");
        apps.started.get(0).exit.complete(3);
        assertThat(tasks.await(NS, "app", "").code()).isEqualTo(3);
        assertThat(tasks.state(NS, "app", "").getStatus()).isEqualTo(Status.STOPPED);
        assertThat(tasks.pids(NS, "app")).isEmpty();
        assertThat(events).extracting(TaskEvent::topic).containsExactly("/tasks/create", "/tasks/start", "/tasks/exit");
    }

    @Test
    void appThatCannotStartFailsStartClearlyAndEnds() throws Exception {
        tasks.create(NS, request("bad", Bundles.app(tmp, "bad")));
        apps.failure = "spin.toml: missing (no Spin manifest in the image)";
        assertThatThrownBy(() -> tasks.start(NS, "bad", "")).satisfies(e -> {
            assertCode(e, RpcCode.FAILED_PRECONDITION);
            assertThat(e).hasMessageContaining("missing_manifest: spin.toml: missing");
        });
        assertThat(tasks.await(NS, "bad", "").code()).isEqualTo(1);
        assertThat(tasks.delete(NS, "bad", "").getExitStatus()).isEqualTo(1);
    }

    @Test
    void appWithItsOwnNetworkNamespaceIsRefused() throws Exception {
        Path bundle = Bundles.write(
                tmp, "iso", Bundles.POD_ANNOTATIONS, "{\"type\": \"network\", \"path\": \"/var/run/netns/cni-9\"}");
        assertThatThrownBy(() -> tasks.create(NS, request("iso", bundle))).satisfies(e -> {
            assertCode(e, RpcCode.FAILED_PRECONDITION);
            assertThat(e)
                    .hasMessageContaining("/var/run/netns/cni-9")
                    .hasMessageContaining("hostNetwork: true")
                    .hasMessageContaining(bundle.resolve("config.json").toString());
        });
        Path fresh = Bundles.write(tmp, "iso2", "", "{\"type\": \"network\"}");
        assertThatThrownBy(() -> tasks.create(NS, request("iso2", fresh))).hasMessageContaining("a new one");
        assertThat(events).isEmpty();
    }

    @Test
    void badBundlesAndRequestsAreRefusedWithTheReason() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> tasks.create(NS, request("e", empty)))
                .hasMessageContaining(empty.resolve("config.json") + ": missing");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("config.json"), "{\n \"root\": [\n");
        assertThatThrownBy(() -> tasks.create(NS, request("b", broken)))
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("line 3");
        Path badEnv = Bundles.write(tmp, "env", "", "");
        Files.writeString(badEnv.resolve("config.json"), "{\"process\": {\"env\": [\"A=1\", \"oops\"]}}");
        assertThatThrownBy(() -> tasks.create(NS, request("env", badEnv))).hasMessageContaining("process.env[1]");

        Path ok = Bundles.sandbox(tmp, "sb");
        CreateTaskRequest tty = request("sb", ok).toBuilder().setTerminal(true).build();
        assertThatThrownBy(() -> tasks.create(NS, tty)).satisfies(e -> assertCode(e, RpcCode.INVALID_ARGUMENT));
        tasks.create(NS, request("sb", ok));
        assertThatThrownBy(() -> tasks.create(NS, request("sb", ok)))
                .satisfies(e -> assertCode(e, RpcCode.ALREADY_EXISTS));
        assertThatThrownBy(() -> tasks.start(NS, "sb", "exec-1")).hasMessageContaining("exec is not supported");
        assertThatThrownBy(() -> tasks.start("other", "sb", "")).satisfies(e -> assertCode(e, RpcCode.NOT_FOUND));
        tasks.start(NS, "sb", "");
        assertThatThrownBy(() -> tasks.start(NS, "sb", "")).satisfies(e -> assertCode(e, RpcCode.FAILED_PRECONDITION));
    }

    @Test
    void createdTaskCanBeDeletedWithoutStarting() throws Exception {
        tasks.create(NS, request("c", Bundles.app(tmp, "c")));
        assertThat(tasks.delete(NS, "c", "").getExitStatus()).isEqualTo(137);
        assertThat(apps.started).isEmpty();
    }

    @Test
    void killedTaskThatNeverStartedEndsBeforeKillReturnsAndCannotStartAfterwards() throws Exception {
        tasks.create(NS, request("k", Bundles.app(tmp, "k")));

        tasks.kill(NS, "k", "", 9);

        assertThat(tasks.state(NS, "k", "").getStatus()).isEqualTo(Status.STOPPED);
        assertThat(tasks.await(NS, "k", "").code()).isEqualTo(137);
        assertThatThrownBy(() -> tasks.start(NS, "k", "")).satisfies(e -> assertCode(e, RpcCode.FAILED_PRECONDITION));
        assertThat(tasks.delete(NS, "k", "").getExitStatus())
                .as("the Kill's exit, not a zero")
                .isEqualTo(137);
        assertThat(apps.started).isEmpty();
    }

    @Test
    void gracefulSignalsEndTheAppWithZeroAndOthersWith128PlusTheSignal() throws Exception {
        Map<Integer, Integer> expected = Map.of(15, 0, 2, 0, 9, 137, 1, 129);
        for (var signal : expected.entrySet()) {
            String id = "sig" + signal.getKey();
            tasks.create(NS, request(id, Bundles.app(tmp, id)));
            tasks.start(NS, id, "");
            tasks.kill(NS, id, "", signal.getKey());
            assertThat(tasks.await(NS, id, "").code())
                    .as("signal " + signal.getKey())
                    .isEqualTo(signal.getValue());
            assertThat(tasks.delete(NS, id, "").getExitStatus()).isEqualTo(signal.getValue());
        }
    }

    /**
     * CRI's log copier must read the end of the app's output before the exit makes containerd delete
     * the task: when TaskExit is published, the shim holds neither FIFO any more, so a reader has EOF.
     */
    @Test
    void stdoutAndStderrAreClosedBeforeTheExitIsReported() throws Exception {
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        for (Path fifo : List.of(out, err)) {
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                    .isZero();
        }
        List<Long> heldAtExit = new CopyOnWriteArrayList<>();
        TaskManager watched = new TaskManager(
                apps,
                (ns, e) -> {
                    if (e.topic().equals("/tasks/exit")) {
                        heldAtExit.add(openDescriptorsOf(out, err));
                    }
                },
                new LifecycleLog(log::add, Clock.fixed(NOW, ZoneOffset.UTC), "agent-1"),
                Clock.fixed(NOW, ZoneOffset.UTC),
                4242);
        watched.create(
                NS,
                request("eof", Bundles.app(tmp, "eof")).toBuilder()
                        .setStdout(out.toString())
                        .setStderr(err.toString())
                        .build());
        watched.start(NS, "eof", "");
        assertThat(openDescriptorsOf(out, err)).as("held while the app runs").isEqualTo(2);

        watched.kill(NS, "eof", "", 15);
        assertThat(watched.await(NS, "eof", "").code()).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (heldAtExit.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(heldAtExit).containsExactly(0L);
        watched.delete(NS, "eof", "");
    }

    /** How many of this process's file descriptors are open on the given files. */
    private static long openDescriptorsOf(Path... files) {
        List<Path> targets = List.of(files);
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return targets.contains(Files.readSymbolicLink(fd));
                        } catch (IOException e) {
                            return false; // closed meanwhile (the listing's own descriptor)
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void stdoutGoesToTheFifoWithoutBlockingTheApp() throws Exception {
        Path fifo = tmp.resolve("stdout");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        Path bundle = Bundles.app(tmp, "io");
        // containerd opens the FIFO before Create; opening it here read-write must not block either way
        tasks.create(
                NS, request("io", bundle).toBuilder().setStdout(fifo.toString()).build());
        tasks.start(NS, "io", "");
        try (var reader = Files.newInputStream(fifo)) {
            apps.started.get(0).spec.stdout().write("hello from the app\n".getBytes(StandardCharsets.UTF_8));
            byte[] got = reader.readNBytes("hello from the app\n".length());
            assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("hello from the app\n");
        }
        // nobody reads any more: a flood must neither block nor fail the app
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 64; i++) {
            apps.started.get(0).spec.stdout().write(chunk);
        }
        tasks.kill(NS, "io", "", 9);
        tasks.await(NS, "io", "");
        tasks.delete(NS, "io", "");
    }

    @Test
    void taskServiceTakesTheNamespaceFromMetadataElseItsOwnAndRefusesWhatWasmCannotDo() throws Exception {
        TaskService svc = new TaskService(tasks, NS);
        Path bundle = Bundles.sandbox(tmp, "sb");
        svc.call("Create", request("sb", bundle).toByteArray(), Map.of());
        svc.call("Start", id("sb"), Map.of(TaskService.NAMESPACE_KEY, NS));
        assertThatThrownBy(() -> svc.call("State", id("sb"), Map.of(TaskService.NAMESPACE_KEY, "other")))
                .satisfies(e -> assertCode(e, RpcCode.NOT_FOUND));
        // a sandbox runs nothing: empty metrics, any update holds
        var sandboxStats = StatsResponse.parseFrom(svc.call("Stats", id("sb"), Map.of()));
        assertThat(Metrics.parseFrom(sandboxStats.getStats().getValue())).isEqualTo(metrics(0, 0, 0, 0));
        svc.call(
                "Update",
                update("sb", resources("{\"memory\":{\"limit\":1048576}}"), Map.of())
                        .toByteArray(),
                Map.of());
        for (String m : List.of("Exec", "ResizePty", "CloseIO", "Checkpoint", "Pause", "Resume")) {
            assertThatThrownBy(() -> svc.call(m, id("sb"), Map.of()))
                    .satisfies(e -> assertCode(e, RpcCode.UNIMPLEMENTED))
                    .hasMessageContaining("not supported");
        }
        assertThatThrownBy(() -> svc.call("Create", new byte[] {0x0a, 0x05}, Map.of()))
                .satisfies(e -> assertCode(e, RpcCode.INVALID_ARGUMENT));
        // Shutdown leaves the shared daemon and its tasks alone
        svc.call("Shutdown", ShutdownRequest.newBuilder().setId("sb").build().toByteArray(), Map.of());
        assertThat(tasks.state(NS, "sb", "").getStatus()).isEqualTo(Status.RUNNING);
    }

    @Test
    void statsReportTheAppsUseAsCgroupV2MetricsAndUpdatesReachTheApp() throws Exception {
        TaskService svc = new TaskService(tasks, NS);
        Path bundle = Bundles.app(tmp, "st");
        svc.call("Create", request("st", bundle).toByteArray(), Map.of());
        // created, not started: nothing used yet, nothing to update
        var created = StatsResponse.parseFrom(svc.call("Stats", id("st"), Map.of()));
        assertThat(Metrics.parseFrom(created.getStats().getValue())).isEqualTo(metrics(0, 0, 0, 0));
        assertThatThrownBy(() -> svc.call(
                        "Update",
                        update("st", resources("{\"memory\":{\"limit\":1}}"), Map.of())
                                .toByteArray(),
                        Map.of()))
                .satisfies(e -> assertCode(e, RpcCode.FAILED_PRECONDITION))
                .hasMessageContaining("is CREATED");
        svc.call("Start", id("st"), Map.of());
        FakeApp app = apps.started.get(0);
        app.stats = new WorkloadStats(2_500_000, 131072, 40_000, 4L << 27, 3, 0);

        StatsResponse response = StatsResponse.parseFrom(svc.call("Stats", id("st"), Map.of()));
        assertThat(response.getStats().getTypeUrl()).isEqualTo("io.containerd.cgroups.v2.Metrics");
        // memory: the instances' and the compiled code's, which is also on top of the instances' cap
        assertThat(Metrics.parseFrom(response.getStats().getValue()))
                .isEqualTo(metrics(2500, 131072 + 40_000, (4L << 27) + 40_000, 3));

        svc.call(
                "Update",
                update(
                                "st",
                                resources(
                                        "{\"memory\":{\"limit\":67108864,\"swap\":null},\"cpu\":{\"shares\":512,\"cpus\":\"\"},\"devices\":[]}"),
                                Map.of("a", "b"))
                        .toByteArray(),
                Map.of());
        assertThat(app.memoryLimits).containsExactly(67108864L);
        // what a WASM app cannot enforce is accepted: the memory limit alone is applied
        svc.call(
                "Update",
                update("st", resources("{\"cpu\":{\"quota\":50000,\"period\":100000}}"), Map.of())
                        .toByteArray(),
                Map.of());
        assertThat(app.memoryLimits).containsExactly(67108864L);

        app.refuse = "needs 2 pages at start";
        assertThatThrownBy(() -> svc.call(
                        "Update",
                        update("st", resources("{\"memory\":{\"limit\":4096}}"), Map.of())
                                .toByteArray(),
                        Map.of()))
                .satisfies(e -> assertCode(e, RpcCode.FAILED_PRECONDITION))
                .hasMessageContaining("update of task " + NS + "/st: memory_limit: needs 2 pages at start");
        assertThatThrownBy(() -> svc.call(
                        "Update",
                        update(
                                        "st",
                                        any("types.containerd.io/opencontainers/runtime-spec/1/WindowsResources", "{}"),
                                        Map.of())
                                .toByteArray(),
                        Map.of()))
                .satisfies(e -> assertCode(e, RpcCode.INVALID_ARGUMENT))
                .hasMessageContaining("WindowsResources are not supported");
        assertThatThrownBy(() -> svc.call(
                        "Update",
                        update("st", resources("{\"memory\":"), Map.of()).toByteArray(),
                        Map.of()))
                .satisfies(e -> assertCode(e, RpcCode.INVALID_ARGUMENT))
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> svc.call(
                        "Update",
                        update("st", resources("{\"memory\":{\"limit\":\"lots\"}}"), Map.of())
                                .toByteArray(),
                        Map.of()))
                .satisfies(e -> assertCode(e, RpcCode.INVALID_ARGUMENT))
                .hasMessageContaining("memory.limit");
        assertThatThrownBy(() -> svc.call("Stats", id("nope"), Map.of()))
                .satisfies(e -> assertCode(e, RpcCode.NOT_FOUND));
        tasks.kill(NS, "st", "", 9);
        tasks.await(NS, "st", "");
        tasks.delete(NS, "st", "");
    }

    private static Any resources(String json) {
        return any("types.containerd.io/opencontainers/runtime-spec/1/LinuxResources", json);
    }

    private static Any any(String typeUrl, String json) {
        return Any.newBuilder()
                .setTypeUrl(typeUrl)
                .setValue(ByteString.copyFromUtf8(json))
                .build();
    }

    private static UpdateTaskRequest update(String id, Any resources, Map<String, String> annotations) {
        return UpdateTaskRequest.newBuilder()
                .setId(id)
                .setResources(resources)
                .putAllAnnotations(annotations)
                .build();
    }

    /** The cgroup v2 Metrics the shim answers Stats with: every part present, as containerd reads them. */
    private static Metrics metrics(long cpuUsec, long memory, long memoryLimit, long memoryLimitHits) {
        return Metrics.newBuilder()
                .setCpu(CPUStat.newBuilder().setUsageUsec(cpuUsec))
                .setMemory(MemoryStat.newBuilder().setUsage(memory).setUsageLimit(memoryLimit))
                .setMemoryEvents(MemoryEvents.newBuilder().setMax(memoryLimitHits))
                .build();
    }

    /** A request of the methods whose request is {@code id = 1} (Start, State, Stats, Exec, ...). */
    private static byte[] id(String id) {
        return StateRequest.newBuilder().setId(id).build().toByteArray();
    }

    @Test
    void aTaskHasTheCgroupItsSpecNamesUntilItsDeleteAndAPodsCgroupGoesWithItsLastTask() throws Exception {
        Path cpu = Files.createDirectories(tmp.resolve("cgroup/cpu"));
        TaskManager withCgroups = manager(new TaskCgroups(List.of(cpu)));
        withCgroups.create(NS, request("sb", cgroup(Bundles.sandbox(tmp, "sb"), "/pods/pod1/sb")));
        withCgroups.create(NS, request("app", cgroup(Bundles.app(tmp, "app"), "/pods/pod1/app")));
        assertThat(cpu.resolve("pods/pod1/sb")).isDirectory();
        assertThat(cpu.resolve("pods/pod1/app")).isDirectory();

        withCgroups.delete(NS, "sb", "");
        assertThat(cpu.resolve("pods/pod1/sb")).doesNotExist();
        assertThat(cpu.resolve("pods/pod1/app")).isDirectory();
        withCgroups.delete(NS, "app", "");
        assertThat(cpu).isEmptyDirectory();

        // a path out of the cgroup root refuses the task, naming the file and the field
        Path bad = cgroup(Bundles.app(tmp, "bad"), "/pods/../../etc");
        assertThatThrownBy(() -> withCgroups.create(NS, request("bad", bad)))
                .satisfies(e -> assertCode(e, RpcCode.FAILED_PRECONDITION))
                .hasMessageContaining("task k8s.io/bad: " + bad.resolve("config.json")
                        + ": linux.cgroupsPath \"/pods/../../etc\": \"..\" is no cgroup name");
        assertThat(cpu).isEmptyDirectory();

        // a cgroup that cannot be made holds nothing of the app: the task runs without it
        TaskManager noHierarchy = manager(new TaskCgroups(List.of(tmp.resolve("cgroup/gone"))));
        assertThat(noHierarchy.create(NS, request("app2", cgroup(Bundles.app(tmp, "app2"), "/pods/pod2/app2"))))
                .isEqualTo(4242);
        noHierarchy.start(NS, "app2", "");
        assertThat(noHierarchy.state(NS, "app2", "").getStatus()).isEqualTo(Status.RUNNING);

        // the daemon's shutdown ends its tasks, and the cgroups it made go with them
        withCgroups.create(NS, request("app3", cgroup(Bundles.app(tmp, "app3"), "/pods/pod3/app3")));
        withCgroups.start(NS, "app3", "");
        assertThat(cpu.resolve("pods/pod3/app3")).isDirectory();
        withCgroups.stopAll();
        assertThat(cpu).isEmptyDirectory();
    }

    @Test
    void eachTasksBundleRecordsTheLevelsTheDaemonMadeOnItsPathUntilItsDelete() throws Exception {
        Path cpu = Files.createDirectories(tmp.resolve("cgroup/cpu"));
        Path memory = Files.createDirectories(tmp.resolve("cgroup/memory"));
        Files.createDirectories(cpu.resolve("pods")); // found there: not the daemon's
        TaskManager withCgroups = manager(new TaskCgroups(List.of(cpu, memory)));
        Path sb = cgroup(Bundles.sandbox(tmp, "sb"), "/pods/pod1/sb");
        Path app = cgroup(Bundles.app(tmp, "app"), "/pods/pod1/app");
        withCgroups.create(NS, request("sb", sb));
        withCgroups.create(NS, request("app", app));

        // the pod's cgroup is in both: whichever task a crashed daemon's launcher cleans up last takes it
        assertThat(Files.readAllLines(sb.resolve("wasmorch-cgroups")))
                .containsExactly(
                        cpu + "/pods/pod1/sb",
                        cpu + "/pods/pod1",
                        memory + "/pods/pod1/sb",
                        memory + "/pods/pod1",
                        memory + "/pods");
        assertThat(Files.readAllLines(app.resolve("wasmorch-cgroups")))
                .containsExactly(
                        cpu + "/pods/pod1/app",
                        cpu + "/pods/pod1",
                        memory + "/pods/pod1/app",
                        memory + "/pods/pod1",
                        memory + "/pods");
        try (var files = Files.list(sb)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("wasmorch-cgroups.tmp");
        }

        withCgroups.delete(NS, "sb", "");
        assertThat(sb.resolve("wasmorch-cgroups")).doesNotExist();
        assertThat(app.resolve("wasmorch-cgroups")).exists();
        withCgroups.delete(NS, "app", "");
        assertThat(app.resolve("wasmorch-cgroups")).doesNotExist();

        // no cgroup, no record
        Path plain = Bundles.app(tmp, "plain");
        withCgroups.create(NS, request("plain", plain));
        assertThat(plain.resolve("wasmorch-cgroups")).doesNotExist();
    }

    private TaskManager manager(TaskCgroups cgroups) {
        return new TaskManager(
                apps,
                (ns, e) -> events.add(e),
                new LifecycleLog(log::add, Clock.fixed(NOW, ZoneOffset.UTC), "agent-1"),
                Clock.fixed(NOW, ZoneOffset.UTC),
                4242,
                cgroups);
    }

    /** The bundle with {@code linux.cgroupsPath} in its spec, as containerd's CRI writes it. */
    private static Path cgroup(Path bundle, String cgroupsPath) throws IOException {
        Path config = bundle.resolve("config.json");
        Files.writeString(
                config,
                Files.readString(config)
                        .replace("\"linux\": {", "\"linux\": {\"cgroupsPath\": \"" + cgroupsPath + "\", "));
        return bundle;
    }

    private static CreateTaskRequest request(String id, Path bundle) {
        return CreateTaskRequest.newBuilder()
                .setId(id)
                .setBundle(bundle.toString())
                .build();
    }

    private static void assertCode(Throwable e, RpcCode code) {
        assertThat(e).isInstanceOf(TtrpcException.class);
        assertThat(((TtrpcException) e).code()).isEqualTo(code);
    }

    /** Apps that start at once (or fail with {@link #failure}) and end when told. */
    static final class FakeApps implements WorkloadFactory {
        final List<FakeApp> started = new CopyOnWriteArrayList<>();
        volatile String failure;
        volatile CountDownLatch stopGate = new CountDownLatch(0);

        @Override
        public Workload start(TaskSpec spec) throws WorkloadException {
            if (failure != null) {
                throw new WorkloadException("missing_manifest", failure);
            }
            FakeApp app = new FakeApp(spec, stopGate);
            started.add(app);
            return app;
        }
    }

    static final class FakeApp implements Workload {
        final TaskSpec spec;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final List<Long> memoryLimits = new CopyOnWriteArrayList<>();
        volatile boolean stopped;
        /** Holds stop() like a listener that waits for its connections to close. */
        final CountDownLatch stopAllowed;

        volatile WorkloadStats stats = WorkloadStats.NONE;
        volatile String refuse;

        FakeApp(TaskSpec spec, CountDownLatch stopAllowed) {
            this.spec = spec;
            this.stopAllowed = stopAllowed;
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public void stop() {
            try {
                stopAllowed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped = true;
            exit.complete(0);
        }

        @Override
        public WorkloadStats stats() {
            return stats;
        }

        @Override
        public void limitMemory(long bytes) throws WorkloadException {
            if (refuse != null) {
                throw new WorkloadException("memory_limit", refuse);
            }
            memoryLimits.add(bytes);
        }
    }
}
