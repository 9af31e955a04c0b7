package dev.wasmorch.shim.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A containerd of the test's own: root, state, config, gRPC and TTRPC sockets all in a temp dir,
 * the wasmorch shim launcher (with the mount library beside it) on its PATH, the shim daemon's state beside it. Never touches a
 * system containerd. Skips (visibly) unless run as root with containerd and ctr installed
 * ({@code bin/setup-test-env} installs them; CI runs as root).
 */
public final class PrivateContainerd implements BeforeAllCallback, AfterAllCallback {

    public static final String RUNTIME = "io.containerd.wasmorch.v1";
    public static final String NAMESPACE = "wasmorch";
    /** What the build puts there (bin/build-native): the launcher and the daemon's mount library. */
    private static final Path NATIVE = Path.of("target", "bin");

    private static final List<String> NATIVE_FILES = List.of("containerd-shim-wasmorch-v1", "libwasmorch-shim.so");

    /** The CRI plugin's name for our runtime (a RuntimeClass's {@code handler}). */
    public static final String CRI_HANDLER = "wasmorch";
    /** The pod sandbox image the CRI plugin asks for; the shim never runs its content. */
    public static final String CRI_SANDBOX_IMAGE = "docker.io/wasmorch/pause:e2e";

    private final Map<String, String> env = new HashMap<>();
    private boolean cri;
    private Path dir;
    private Process containerd;

    /** Extra environment for containerd and so for the shim (e.g. WASMORCH_REDIS_URL). */
    public PrivateContainerd withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * Enables containerd's CRI plugin (off by default: it is slow to start and wants cgroups), with
     * the wasmorch shim as runtime handler {@value #CRI_HANDLER}, as K3s configures it on a node.
     */
    public PrivateContainerd withCri() {
        cri = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeTrue(unavailableReason() == null, unavailableReason());
        start();
    }

    /** Why no private containerd can run here (not root, not installed), or {@code null}. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "containerd tests need root (they mount and run containerd); skipped as "
                    + System.getProperty("user.name");
        }
        if (!onPath("containerd") || !onPath("ctr")) {
            return "containerd/ctr not installed: run bin/setup-test-env (Debian package containerd)";
        }
        return null;
    }

    /** Starts containerd (the extension does this before the test class; the benchmark calls it). */
    public void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "wctd");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String file : NATIVE_FILES) {
            Path copy = Files.copy(NATIVE.resolve(file), bin.resolve(file));
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(dir.resolve("config.toml"), config());
        if (cri) {
            writeCniConfig();
        }

        ProcessBuilder pb = new ProcessBuilder(
                        "containerd", "--config", dir.resolve("config.toml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("WASMORCH_SHIM_STATE_DIR", shimState().toString());
        pb.environment().put("WASMORCH_SHIM_CLASSPATH", testClassPath());
        pb.environment().putAll(env);
        containerd = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ctrQuiet("version").exit() != 0) {
            if (!containerd.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("private containerd did not start; its log:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    /** Stops containerd and the shim daemons it started, unmounts and removes everything. */
    public void stop() throws Exception {
        if (dir == null) {
            return;
        }
        if (containerd != null) {
            containerd.destroy();
            if (!containerd.waitFor(20, TimeUnit.SECONDS)) {
                containerd.destroyForcibly().waitFor();
            }
        }
        stopShimDaemons();
        unmountUnder(dir);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    public Path dir() {
        return dir;
    }

    public Path socket() {
        return dir.resolve("c.sock");
    }

    public Path shimState() {
        return dir.resolve("shim");
    }

    /** The socket of the shim daemon serving this containerd's {@link #NAMESPACE} namespace. */
    public Path shimSocket() throws IOException {
        try (Stream<Path> files = Files.walk(shimState())) {
            return files.filter(p -> p.getFileName().toString().equals("shim.sock")
                            && p.getParent().getFileName().toString().startsWith(NAMESPACE + "@"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no shim daemon runs for namespace " + NAMESPACE));
        }
    }

    /** The shim daemons' logs (lifecycle lines, warnings). */
    public String shimLog() throws IOException {
        StringBuilder sb = new StringBuilder();
        if (Files.isDirectory(shimState())) {
            try (Stream<Path> logs = Files.walk(shimState())) {
                for (Path p : logs.filter(p -> p.getFileName().toString().equals("daemon.log"))
                        .toList()) {
                    sb.append(Files.readString(p));
                }
            }
        }
        return sb.toString();
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("containerd.log"));
    }

    /** Runs {@code ctr -a SOCK -n wasmorch ARGS}; the result holds exit code and combined output. */
    public Result ctr(String... args) throws IOException, InterruptedException {
        return ctrIn(NAMESPACE, args);
    }

    public Result ctrIn(String namespace, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ctr", "-a", socket().toString(), "-n", namespace));
        cmd.addAll(List.of(args));
        return run(cmd, Duration.ofSeconds(120));
    }

    /** The STATUS column of {@code ctr task ls} for the task. */
    public String taskStatus(String id) throws IOException, InterruptedException {
        for (String line : ctr("task", "ls").ok().output().split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 3 && cols[0].equals(id)) {
                return cols[2];
            }
        }
        return "absent";
    }

    public void awaitStatus(String id, String status) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!taskStatus(id).equals(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task " + id + " did not reach " + status + ": " + taskStatus(id));
            }
            Thread.sleep(50);
        }
    }

    private Result ctrQuiet(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ctr", "-a", socket().toString()));
        cmd.addAll(List.of(args));
        return run(cmd, Duration.ofSeconds(10));
    }

    public static Result run(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** A finished command. */
    public record Result(int exit, String output) {
        public Result ok() {
            if (exit != 0) {
                throw new AssertionError("command failed with exit " + exit + ":\n" + output);
            }
            return this;
        }
    }

    private String config() {
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = [%2$s"io.containerd.snapshotter.v1.btrfs",
                  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
                  "io.containerd.snapshotter.v1.aufs"]
                [grpc]
                  address = "%1$s/c.sock"
                [ttrpc]
                  address = "%1$s/c.sock.ttrpc"
                [debug]
                  level = "info"
                [metrics]
                  address = ""
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"
                """.formatted(dir, cri ? "" : "\"io.containerd.grpc.v1.cri\", ") + (cri ? criConfig() : "");
    }

    /**
     * The CRI plugin with our runtime, as in K3s's {@code config.toml.tmpl} entry (shim/README.md).
     * CNI has only a loopback network ({@link #writeCniConfig()}): only host-network pods can run,
     * which is what the shim supports. The
     * streaming server (exec, logs -f) takes a free port on loopback so test runs do not collide.
     */
    private String criConfig() {
        return """
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%2$s"
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  disable_apparmor = true
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "%3$s"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.%3$s]
                      runtime_type = "%4$s"
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%1$s/cni/bin"
                    conf_dir = "%1$s/cni/conf"
                """.formatted(dir, CRI_SANDBOX_IMAGE, CRI_HANDLER, RUNTIME);
    }

    /**
     * A node always has a CNI network config (K3s writes flannel's); without one, the CRI plugin logs
     * "failed to load cni during init" at level error when it starts. The pods here use the host
     * network, for which CRI runs no CNI plugin, so a loopback network is config enough.
     */
    private void writeCniConfig() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("cni/conf"));
        Files.writeString(conf.resolve("10-wasmorch-e2e.conflist"), """
                {"cniVersion": "1.0.0", "name": "wasmorch-e2e", "plugins": [{"type": "loopback"}]}
                """);
    }

    /** Kills the shim daemons this containerd's launcher started (their pid files are under our dir). */
    private void stopShimDaemons() throws Exception {
        if (!Files.isDirectory(shimState())) {
            return;
        }
        List<Path> pidFiles;
        try (Stream<Path> files = Files.walk(shimState())) {
            pidFiles = files.filter(p -> p.getFileName().toString().equals("daemon.pid"))
                    .toList();
        }
        for (Path pidFile : pidFiles) {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            var handle = ProcessHandle.of(pid);
            if (handle.isPresent()) {
                handle.get().destroy();
                handle.get().onExit().get(15, TimeUnit.SECONDS);
            }
        }
    }

    private static void unmountUnder(Path root) throws IOException, InterruptedException {
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].startsWith(root.toString() + "/")) {
                mounts.add(f[4]);
            }
        }
        mounts.sort(Comparator.reverseOrder()); // deepest first
        for (String m : mounts) {
            run(List.of("umount", "-l", m), Duration.ofSeconds(10));
        }
    }

    /** The class path of this test run: the launcher starts the daemon from it. */
    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
    }

    private static boolean onPath(String exe) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, exe)));
    }
}
