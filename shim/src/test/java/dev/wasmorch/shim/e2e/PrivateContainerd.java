package dev.wasmorch.shim.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmorch.contract.crinode.Command;
import dev.wasmorch.contract.crinode.CriNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A containerd of the test's own, the contract's private CRI node ({@link CriNode}: root, state,
 * config, sockets and CNI bridge in a temp dir, the CRI plugin with handlers {@code runc} and
 * {@value #CRI_HANDLER}), with the wasmorch shim launcher (and the mount library beside it) on its
 * PATH and the shim daemon's state beside it. Never touches a system containerd. Skips (visibly)
 * unless the node can run here: root, containerd, runc, cc, ip and the CNI plugins
 * ({@code bin/setup-test-env} installs them; CI runs as root).
 */
public final class PrivateContainerd implements BeforeAllCallback, AfterAllCallback {

    public static final String RUNTIME = "io.containerd.wasmorch.v1";
    public static final String NAMESPACE = "wasmorch";
    /**
     * What the build puts there (bin/build-native): the launcher and the daemon's mount library. A
     * test of another module (functions) runs in its own directory and names the shim's.
     */
    private static final Path NATIVE = Path.of(System.getProperty("wasmorch.shim.bin", "target/bin"));

    private static final List<String> NATIVE_FILES = List.of("containerd-shim-wasmorch-v1", "libwasmorch-shim.so");

    /** The CRI plugin's name for our runtime (a RuntimeClass's {@code handler}). */
    public static final String CRI_HANDLER = "wasmorch";

    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean packaged;
    private boolean cgroupV2;
    private Path dir;
    private CriNode node;

    /**
     * The shim as a node installs it: the launcher with the package's lib/ beside it (copied with
     * their times, as shim/README.md's install does), so the daemon runs from the jars and maps the
     * class-data sharing archive; needs {@code mvn package} first. Otherwise the daemon runs from
     * this test run's class path.
     */
    public PrivateContainerd packaged() {
        packaged = true;
        return this;
    }

    /** A node on a cgroup v2 host, on any machine ({@link CriNode.Builder#cgroupV2()}). */
    public PrivateContainerd onCgroupV2() {
        cgroupV2 = true;
        return this;
    }

    /** Extra environment for containerd and so for the shim (e.g. WASMORCH_REDIS_URL). */
    public PrivateContainerd withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeTrue(unavailableReason() == null, unavailableReason());
        start();
    }

    /** Why no private containerd can run here (not root, not installed), or {@code null}. */
    public static String unavailableReason() {
        return CriNode.unavailableReason();
    }

    /** Starts containerd (the extension does this before the test class; the benchmark calls it). */
    public void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "wctd");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String file : NATIVE_FILES) {
            Path copy = Files.copy(NATIVE.resolve(file), bin.resolve(file));
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (packaged) {
            Path lib = Files.createDirectories(dir.resolve("lib"));
            try (Stream<Path> files = Files.list(NATIVE.resolveSibling("lib"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, lib.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        CriNode.Builder builder = CriNode.builder().directory(dir).path(bin).runtime(CRI_HANDLER, RUNTIME);
        shimEnvironment().forEach(builder::env);
        if (cgroupV2) {
            builder.cgroupV2();
        }
        node = builder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    /** Stops the node (pods, containerd, mounts, bridge, directory), then the shim daemons it started. */
    public void stop() throws Exception {
        if (node == null) {
            return;
        }
        // read before the node's directory (holding the daemons' pid files) goes
        List<ProcessHandle> daemons = shimDaemons();
        node.stop();
        node = null;
        for (ProcessHandle daemon : daemons) {
            daemon.destroy();
            daemon.onExit().get(15, TimeUnit.SECONDS);
        }
    }

    /** What containerd passes its shims, and so the daemon, besides its own environment. */
    private Map<String, String> shimEnvironment() {
        Map<String, String> shim = new LinkedHashMap<>();
        shim.put("WASMORCH_SHIM_STATE_DIR", shimState().toString());
        // the node's own, not the machine's /var/lib: what one test's pods ran stays with its node
        shim.put("WASMORCH_MODULE_STORE", moduleStore().toString());
        if (!packaged) {
            shim.put("WASMORCH_SHIM_CLASSPATH", testClassPath());
        }
        shim.putAll(env);
        return shim;
    }

    /**
     * The launcher's {@code daemon} command for this node's Kubernetes namespace, as the service
     * unit runs it: the daemon started ahead of the first pod, with the shims' environment.
     */
    public ProcessBuilder daemonCommand() {
        ProcessBuilder pb = new ProcessBuilder(
                dir.resolve("bin/containerd-shim-wasmorch-v1").toString(),
                "-namespace",
                CriNode.CRI_NAMESPACE,
                "-address",
                socket().toString(),
                "daemon");
        pb.environment().putAll(shimEnvironment());
        return pb;
    }

    /** Stops the shim daemons this node's launcher or {@link #daemonCommand} started. */
    public void stopShimDaemons() throws Exception {
        for (ProcessHandle daemon : shimDaemons()) {
            daemon.destroy();
            daemon.onExit().get(15, TimeUnit.SECONDS);
        }
    }

    /** Kills the shim daemons with SIGKILL, as a crash would: they clean nothing up. */
    public void killShimDaemons() throws Exception {
        for (ProcessHandle daemon : shimDaemons()) {
            daemon.destroyForcibly();
            daemon.onExit().get(15, TimeUnit.SECONDS);
        }
    }

    /** The node: its CRI runtime service, network, restart. */
    public CriNode node() {
        return node;
    }

    /** Where this node's shim daemons keep the modules that ran (WASMORCH_MODULE_STORE). */
    public Path moduleStore() {
        return dir.resolve("module-store");
    }

    public Path dir() {
        return dir;
    }

    public Path socket() {
        return node.socket();
    }

    public Path shimState() {
        return dir.resolve("shim");
    }

    /**
     * The socket of the shim daemon serving this containerd's {@link #NAMESPACE} namespace: in the
     * launcher's directory {@code NAMESPACE@ADDRESS} (characters outside [A-Za-z0-9._-] as '_'), or,
     * when that would make too long a socket path, in the 64-bit FNV-1a of address and namespace.
     */
    public Path shimSocket() throws IOException {
        return shimSocket(NAMESPACE);
    }

    /** The same for another containerd namespace (Kubernetes' {@code k8s.io}). */
    public Path shimSocket(String namespace) throws IOException {
        String address = socket().toString();
        Set<String> keys = Set.of(
                namespace + "@" + address.replaceAll("[^A-Za-z0-9._-]", "_"),
                String.format("%016x", fnv1a(address + "\n" + namespace)));
        try (Stream<Path> files = Files.walk(shimState())) {
            return files.filter(p -> p.getFileName().toString().equals("shim.sock")
                            && keys.contains(p.getParent().getFileName().toString()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no shim daemon runs for namespace " + namespace));
        }
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
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
        return node.log();
    }

    /** Runs {@code ctr -a SOCK -n wasmorch ARGS}; the result holds exit code and combined output. */
    public Command.Result ctr(String... args) throws IOException, InterruptedException {
        return ctrIn(NAMESPACE, args);
    }

    public Command.Result ctrIn(String namespace, String... args) throws IOException, InterruptedException {
        return node.ctr(namespace, args);
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

    /** The shim daemons this containerd's launcher started (their pid files are under our dir). */
    private List<ProcessHandle> shimDaemons() throws IOException {
        if (!Files.isDirectory(shimState())) {
            return List.of();
        }
        List<ProcessHandle> daemons = new ArrayList<>();
        try (Stream<Path> files = Files.walk(shimState())) {
            for (Path pidFile : files.filter(p -> p.getFileName().toString().equals("daemon.pid"))
                    .toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                        .ifPresent(daemons::add);
            }
        }
        return daemons;
    }

    /** The class path of this test run: the launcher starts the daemon from it. */
    static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
    }
}
