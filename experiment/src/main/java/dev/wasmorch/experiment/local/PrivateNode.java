package dev.wasmorch.experiment.local;

import dev.wasmorch.contract.cri.ListPodSandboxRequest;
import dev.wasmorch.contract.cri.PodSandbox;
import dev.wasmorch.contract.cri.RuntimeServiceGrpc;
import dev.wasmorch.contract.crinode.CriNode;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.run.MachineFacts;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local node: the contract's {@link CriNode} (a containerd of its own with CRI, runc, a CNI
 * bridge and the pause image) plus the wasmorch shim as handler {@value #WASM_HANDLER}, run from
 * the shim module's build ({@code shim/target}: the launcher, its mount library, the jar and its
 * libraries). Everything lives in one work directory, which {@link #close()} removes.
 */
final class PrivateNode implements LocalNode {

    static final String WASM_HANDLER = "wasmorch";
    static final String WASM_RUNTIME_TYPE = "io.containerd.wasmorch.v1";
    private static final String LAUNCHER = "containerd-shim-wasmorch-v1";

    private final Path shimTarget;
    private final Path work;
    private CriNode node;

    /** @param work a new or empty directory, the node's from now on */
    PrivateNode(Path shimTarget, Path work) {
        this.shimTarget = shimTarget;
        this.work = work;
    }

    @Override
    public void start() throws BackendException {
        String unavailable = CriNode.unavailableReason();
        if (unavailable != null) {
            throw new BackendException("the local backend cannot run here: " + unavailable);
        }
        Path launcher = shimTarget.resolve("bin").resolve(LAUNCHER);
        Path jar = shimTarget.resolve("wasmorch-shim.jar");
        if (!Files.isExecutable(launcher) || !Files.isRegularFile(jar)) {
            throw new BackendException("the shim is not built (" + launcher + ", " + jar
                    + "): run mvn -pl shim -am -DskipTests package (bin/wasmorch lab does)");
        }
        try {
            Files.createDirectories(work);
            try (Stream<Path> entries = Files.list(work)) {
                if (entries.findAny().isPresent()) {
                    throw new BackendException("--work " + work + " is not empty (the node owns it and removes it)");
                }
            }
            node = CriNode.builder()
                    .directory(Files.createDirectory(work.resolve("node")))
                    .path(launcher.getParent())
                    .runtime(WASM_HANDLER, WASM_RUNTIME_TYPE)
                    .env("WASMORCH_SHIM_STATE_DIR", shimState().toString())
                    .env("WASMORCH_SHIM_CLASSPATH", jar + ":" + shimTarget.resolve("lib") + "/*")
                    // the shim's apps listen on loopback: the load goes to 127.0.0.1 only
                    .env("WASMORCH_HOST_IP", "127.0.0.1")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new BackendException("private containerd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("private containerd: interrupted", e);
        }
    }

    @Override
    public RuntimeServiceGrpc.RuntimeServiceBlockingStub cri() {
        return node.runtime();
    }

    @Override
    public String handler(Runtime runtime) {
        return runtime == Runtime.WASM ? WASM_HANDLER : CriNode.RUNC;
    }

    @Override
    public void importImage(Path archive) throws BackendException {
        try {
            node.importImage(CriNode.CRI_NAMESPACE, archive);
        } catch (IOException | RuntimeException e) {
            throw new BackendException("importing " + archive + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("importing " + archive + ": interrupted", e);
        }
    }

    @Override
    public String gateway() {
        return node.network().gateway();
    }

    @Override
    public String subnet() {
        return node.network().subnet();
    }

    /** The bridge is a /24 ({@code CniBridge}): its first three octets, a host part 2..254 (1 is the gateway). */
    @Override
    public boolean onBridge(String ip) {
        String subnet = subnet();
        String prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
        if (!subnet.endsWith(".0/24") || !ip.startsWith(prefix)) {
            return false;
        }
        String host = ip.substring(prefix.length());
        return host.matches("\\d{1,3}") && Integer.parseInt(host) >= 2 && Integer.parseInt(host) <= 254;
    }

    @Override
    public Path podLogs() {
        return node.dir().resolve("pod-logs");
    }

    @Override
    public List<String> remaining() throws BackendException {
        try {
            List<String> ids = new ArrayList<>();
            for (PodSandbox pod : node.runtime()
                    .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                    .getItemsList()) {
                ids.add(pod.getMetadata().getName() + "/" + pod.getId());
            }
            return ids;
        } catch (StatusRuntimeException e) {
            throw new BackendException("ListPodSandbox: " + e.getStatus(), e);
        }
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("containerd", MachineFacts.command(List.of("containerd", "--version")));
        m.put("runc", MachineFacts.command(List.of("runc", "--version")));
        m.put("shim", shimTarget.resolve("wasmorch-shim.jar").toString());
        m.put("handlers", CriNode.RUNC + ", " + WASM_HANDLER + " (" + WASM_RUNTIME_TYPE + ")");
        m.put("pause_image", CriNode.SANDBOX_IMAGE);
        if (node != null) {
            m.put("bridge", node.network().name() + " " + node.network().subnet());
        }
        return m;
    }

    /** Stops the node (pods through CRI, containerd, shims, mounts, bridge), then the shim daemons, then removes the work directory. */
    @Override
    public void close() {
        List<ProcessHandle> daemons = shimDaemons();
        try {
            if (node != null) {
                node.stop();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("lab: stopping the private containerd: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle daemon : daemons) {
            daemon.destroy();
            try {
                daemon.onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                daemon.destroyForcibly();
            }
        }
        deleteTree(work);
    }

    private Path shimState() {
        return work.resolve("shim");
    }

    /** The shim daemons this node's launcher started: their pid files are under our shim state. */
    private List<ProcessHandle> shimDaemons() {
        List<ProcessHandle> daemons = new ArrayList<>();
        if (!Files.isDirectory(shimState())) {
            return daemons;
        }
        try (Stream<Path> files = Files.walk(shimState())) {
            for (Path pid : files.filter(p -> p.getFileName().toString().equals("daemon.pid"))
                    .toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(daemons::add);
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("lab: reading the shim daemons' pid files: " + e.getMessage());
        }
        return daemons;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("lab: removing " + dir + ": " + e.getMessage());
        }
    }
}
