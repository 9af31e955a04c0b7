package dev.wasmorch.contract.crinode;

import dev.wasmorch.contract.cri.ListPodSandboxRequest;
import dev.wasmorch.contract.cri.PodSandbox;
import dev.wasmorch.contract.cri.RemovePodSandboxRequest;
import dev.wasmorch.contract.cri.RuntimeServiceGrpc;
import dev.wasmorch.contract.cri.RuntimeServiceGrpc.RuntimeServiceBlockingStub;
import dev.wasmorch.contract.cri.StopPodSandboxRequest;
import dev.wasmorch.contract.cri.VersionRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Kubernetes node's container runtime without the kubelet, private to its owner: a containerd
 * 1.6 with root, state, sockets, config and log in a directory of its own, the CRI plugin with the
 * runtime handlers {@value #RUNC} and any added ({@code wasmorch}), a CNI bridge of its own
 * ({@link CniBridge}: unique name and subnet, IPAM leases under the node's directory) and a pause
 * image built from source. Pods are started on it through {@link #runtime()}, the CRI's
 * RuntimeService as the kubelet calls it. Never touches a system containerd.
 *
 * <p>Settings this machine needs: {@code restrict_oom_score_adj} (root here lacks CAP_SYS_RESOURCE;
 * runc sandboxes fail with "can't get final child's PID from pipe" without it), a private runc
 * {@code Root} (runc's state of other containerds stays apart), {@code netns_mounts_under_state_dir}
 * (pod netns mounts under the node's state, removed with it) and cgroupfs ({@code SystemdCgroup =
 * false}: no systemd runs).
 */
public final class CriNode implements AutoCloseable {

    /** The containerd namespace of the CRI plugin's pods and images. */
    public static final String CRI_NAMESPACE = "k8s.io";
    /** The handler of runc pods (a RuntimeClass's {@code handler}, or none: it is the default). */
    public static final String RUNC = "runc";
    /** The pod sandbox image: {@code pause.c}, built and imported by {@link Builder#start()}. */
    public static final String SANDBOX_IMAGE = "docker.io/wasmorch/pause:local";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final Map<String, String> runtimes;
    private final List<Path> path;
    private final Map<String, String> env;
    private final CniBridge bridge;
    /** Whether containerd runs in a mount namespace of its own with cgroup2 at /sys/fs/cgroup. */
    private final boolean ownCgroupV2Namespace;

    private Process containerd;
    private EpollEventLoopGroup loop;
    private ManagedChannel channel;

    private CriNode(Builder b, CniBridge bridge) {
        this.dir = b.dir;
        this.runtimes = Map.copyOf(b.runtimes);
        this.path = List.copyOf(b.path);
        this.env = Map.copyOf(b.env);
        this.bridge = bridge;
        // the root of a v2 hierarchy has cgroup.controllers; a v1 machine's /sys/fs/cgroup is a tmpfs
        this.ownCgroupV2Namespace = b.cgroupV2 && !Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Why no node can run here (not root, a tool missing), or {@code null}. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "a private CRI node needs root (it mounts, runs containerd and makes a bridge); running as "
                    + System.getProperty("user.name");
        }
        for (String tool : List.of("containerd", "ctr", "runc", "cc", "ip")) {
            if (!Command.onPath(tool)) {
                return tool + " not installed: run bin/setup-test-env (Debian packages containerd, runc, gcc,"
                        + " libc6-dev, iproute2, containernetworking-plugins)";
            }
        }
        if (!Files.isExecutable(Path.of(CNI_BIN, "bridge"))) {
            return "no CNI bridge plugin in " + CNI_BIN + ": run bin/setup-test-env (Debian package "
                    + "containernetworking-plugins)";
        }
        return null;
    }

    /** Where Debian's containernetworking-plugins put the CNI plugins. */
    static final String CNI_BIN = "/usr/lib/cni";

    /** What a node runs with; {@link #start()} starts it. */
    public static final class Builder {
        private Path dir;
        private final Map<String, String> runtimes = new LinkedHashMap<>();
        private final List<Path> path = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean cgroupV2;

        private Builder() {}

        /**
         * The node's directory (an empty one its owner made); by default a new one under /tmp. The
         * node owns it from {@link #start()} on and deletes it at {@link CriNode#stop()}.
         */
        public Builder directory(Path dir) {
            this.dir = dir;
            return this;
        }

        /** A runtime handler besides {@value #RUNC}: e.g. {@code wasmorch} → {@code io.containerd.wasmorch.v1}. */
        public Builder runtime(String handler, String runtimeType) {
            if (!handler.matches("[a-z0-9][a-z0-9-]*") || !runtimeType.matches("[a-z0-9][a-z0-9.]*")) {
                throw new IllegalArgumentException("runtime handler \"" + handler + "\" or type \"" + runtimeType
                        + "\": lower-case letters, digits, '-' (handler) and '.' (type) only");
            }
            runtimes.put(handler, runtimeType);
            return this;
        }

        /** A directory put first on containerd's PATH, where it finds shim binaries. */
        public Builder path(Path dir) {
            path.add(dir);
            return this;
        }

        /** Environment of containerd and so of the shims it starts. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /**
         * A node on a cgroup v2 host whatever this machine mounts: on a v1 or hybrid machine,
         * containerd (and the shims it starts) runs in a mount namespace of its own with the unified
         * hierarchy mounted at {@code /sys/fs/cgroup}, which is what containerd and runc look at to
         * tell v2 from v1. The unified hierarchy is the kernel's one, shared with the machine; on
         * such a host it has no controllers (they are bound to v1), so runc pods cannot set
         * resources there. Such a node cannot {@link CriNode#restart()}: its pods' mounts live in
         * the first containerd's namespace.
         */
        public Builder cgroupV2() {
            cgroupV2 = true;
            return this;
        }

        /**
         * Reserves the pod subnet, writes the config, starts containerd, waits until its CRI plugin
         * answers and imports the pause image. On any failure, everything made so far is removed.
         */
        public CriNode start() throws IOException, InterruptedException {
            String unavailable = unavailableReason();
            if (unavailable != null) {
                throw new IllegalStateException(unavailable);
            }
            if (dir == null) {
                dir = Files.createTempDirectory(Path.of("/tmp"), "wcri");
            }
            CriNode node = new CriNode(this, CniBridge.reserve());
            try {
                node.prepare();
                node.launch();
                node.importImage(CRI_NAMESPACE, PauseImage.build(node.dir, SANDBOX_IMAGE));
                return node;
            } catch (IOException | InterruptedException | RuntimeException e) {
                try {
                    node.stop();
                } catch (IOException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /**
     * The cgroup root as containerd and its shims see it ({@code /sys/fs/cgroup} in their mount
     * namespace), readable from this process while containerd runs.
     */
    public Path cgroupRoot() {
        if (containerd == null || !containerd.isAlive()) {
            throw new IllegalStateException("containerd does not run, so its mount namespace is gone");
        }
        return Path.of("/proc", Long.toString(containerd.pid()), "root/sys/fs/cgroup");
    }

    /** containerd's gRPC socket: the CRI endpoint and ctr's address. */
    public Path socket() {
        return dir.resolve("containerd.sock");
    }

    /** The pod network (bridge name, subnet). */
    public CniBridge network() {
        return bridge;
    }

    /** The gRPC channel to the CRI endpoint (closed by {@link #stop()}). */
    public ManagedChannel channel() {
        return channel;
    }

    /** The CRI RuntimeService, each call with its own deadline of two minutes. */
    public RuntimeServiceBlockingStub runtime() {
        return RuntimeServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Runs {@code ctr -a SOCKET -n NAMESPACE ARGS} (two minutes at most). */
    public Command.Result ctr(String namespace, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ctr", "-a", socket().toString(), "-n", namespace));
        cmd.addAll(List.of(args));
        return Command.run(cmd, CALL_TIMEOUT);
    }

    /** Imports an image archive (OCI layout or docker save) into a namespace; fails with ctr's output. */
    public void importImage(String namespace, Path archive) throws IOException, InterruptedException {
        ctr(namespace, "images", "import", archive.toString()).ok();
    }

    /** containerd's log since the node started (its restarts appended). */
    public String log() throws IOException {
        Path log = dir.resolve("containerd.log");
        return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    }

    /**
     * Stops containerd and starts it again on the same state, its pods left running, as a node's
     * containerd restarts (upgrade, crash): what was started must still be there afterwards.
     */
    public void restart() throws IOException, InterruptedException {
        if (ownCgroupV2Namespace) {
            throw new IllegalStateException("a node with its own cgroup v2 mount namespace cannot restart "
                    + "containerd: the pods' mounts (snapshots, network namespaces) stay in the first one's");
        }
        closeChannel();
        stopContainerd();
        launch();
    }

    /**
     * Removes the pods (through CRI, so CNI gives their addresses back), stops containerd and the
     * shims it left, unmounts what is under the directory, deletes the bridge, gives the subnet
     * back and deletes the directory. Safe to call twice and after a failed start.
     */
    public void stop() throws IOException, InterruptedException {
        try {
            if (channel != null && containerd != null && containerd.isAlive()) {
                removePods();
            }
        } finally {
            closeChannel();
            stopContainerd();
            stopShims();
            unmountUnder(dir);
            bridge.release();
            deleteTree(dir);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    private void prepare() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("cni/conf"));
        Files.writeString(conf.resolve("10-" + bridge.name() + ".conflist"), bridge.conflist(dir.resolve("cni/ipam")));
        Files.createDirectories(dir.resolve("runc"));
        Files.writeString(dir.resolve("config.toml"), config());
    }

    /** Starts containerd and waits until both ctr and the CRI plugin answer. */
    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (ownCgroupV2Namespace) {
            // private propagation: the cgroup2 mount and everything containerd mounts stay in there
            command.addAll(List.of(
                    "unshare",
                    "--mount",
                    "--propagation",
                    "private",
                    "sh",
                    "-c",
                    "mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec \"$@\"",
                    "containerd-in-cgroup-v2"));
        }
        command.addAll(
                List.of("containerd", "--config", dir.resolve("config.toml").toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("containerd.log").toFile()));
        StringBuilder pathVar = new StringBuilder();
        path.forEach(p -> pathVar.append(p).append(':'));
        pb.environment().put("PATH", pathVar + System.getenv("PATH"));
        pb.environment().putAll(env);
        containerd = pb.start();
        loop = new EpollEventLoopGroup(1);
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket().toString()))
                .eventLoopGroup(loop)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!containerd.isAlive()) {
                throw new IllegalStateException(
                        "containerd exited with " + containerd.exitValue() + " while starting; its log:\n" + log());
            }
            if (Files.exists(socket())) {
                try {
                    RuntimeServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(2, TimeUnit.SECONDS)
                            .version(
                                    VersionRequest.newBuilder().setVersion("v1").build());
                    return;
                } catch (StatusRuntimeException notYet) {
                    // the socket is there before the CRI plugin serves
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("containerd's CRI plugin did not answer within "
                        + START_TIMEOUT.toSeconds() + " s; its log:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    private void removePods() {
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        List<PodSandbox> pods;
        try {
            pods = runtime()
                    .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                    .getItemsList();
        } catch (StatusRuntimeException e) {
            return; // containerd no longer serves: the rest of stop() cleans up without it
        }
        for (PodSandbox pod : pods) {
            if (System.nanoTime() > deadline) {
                return;
            }
            try {
                runtime()
                        .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                                .setPodSandboxId(pod.getId())
                                .build());
                runtime()
                        .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                                .setPodSandboxId(pod.getId())
                                .build());
            } catch (StatusRuntimeException e) {
                // one pod that cannot be removed must not keep the others; its processes are killed below
            }
        }
    }

    private void closeChannel() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            channel = null;
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            loop = null;
        }
    }

    private void stopContainerd() throws InterruptedException {
        if (containerd == null) {
            return;
        }
        containerd.destroy();
        if (!containerd.waitFor(20, TimeUnit.SECONDS)) {
            containerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        containerd = null;
    }

    /**
     * Kills the shims (and so their containers) that still serve this node: every process whose
     * command line names this node's socket, as {@code -address SOCKET} does for containerd's shims.
     */
    private void stopShims() throws InterruptedException {
        String address = socket().toString();
        List<ProcessHandle> shims = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (List.of(cmdline.split("\0")).contains(address)) {
                        ProcessHandle.of(Long.parseLong(proc.getFileName().toString()))
                                .ifPresent(shims::add);
                    }
                } catch (IOException ended) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return;
        }
        for (ProcessHandle shim : shims) {
            shim.descendants().forEach(ProcessHandle::destroyForcibly);
            shim.destroyForcibly();
        }
        for (ProcessHandle shim : shims) {
            try {
                shim.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // reported by the directory's removal if it holds on
            }
        }
    }

    private static void unmountUnder(Path root) throws IOException, InterruptedException {
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].startsWith(root + "/")) {
                mounts.add(f[4]);
            }
        }
        mounts.sort(Comparator.reverseOrder()); // deepest first
        for (String m : mounts) {
            Command.run(List.of("umount", "-l", m), Duration.ofSeconds(10));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private String config() {
        StringBuilder handlers = new StringBuilder();
        runtimes.forEach((handler, type) -> handlers.append("""
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.%s]
                      runtime_type = "%s"
                """.formatted(handler, type)));
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
                  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
                [grpc]
                  address = "%1$s/containerd.sock"
                [ttrpc]
                  address = "%1$s/containerd.sock.ttrpc"
                [debug]
                  level = "info"
                [metrics]
                  address = ""
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%2$s"
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  disable_apparmor = true
                  restrict_oom_score_adj = true
                  netns_mounts_under_state_dir = true
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        Root = "%1$s/runc"
                        SystemdCgroup = false
                %3$s  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%4$s"
                    conf_dir = "%1$s/cni/conf"
                    max_conf_num = 1
                """.formatted(dir, SANDBOX_IMAGE, handlers, CNI_BIN);
    }
}
