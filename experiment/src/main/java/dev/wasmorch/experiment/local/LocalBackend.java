package dev.wasmorch.experiment.local;

import dev.wasmorch.contract.cri.ContainerConfig;
import dev.wasmorch.contract.cri.ContainerMetadata;
import dev.wasmorch.contract.cri.CreateContainerRequest;
import dev.wasmorch.contract.cri.ImageSpec;
import dev.wasmorch.contract.cri.KeyValue;
import dev.wasmorch.contract.cri.LinuxContainerConfig;
import dev.wasmorch.contract.cri.LinuxContainerSecurityContext;
import dev.wasmorch.contract.cri.LinuxPodSandboxConfig;
import dev.wasmorch.contract.cri.LinuxSandboxSecurityContext;
import dev.wasmorch.contract.cri.ListPodSandboxRequest;
import dev.wasmorch.contract.cri.NamespaceMode;
import dev.wasmorch.contract.cri.NamespaceOption;
import dev.wasmorch.contract.cri.PodSandbox;
import dev.wasmorch.contract.cri.PodSandboxConfig;
import dev.wasmorch.contract.cri.PodSandboxMetadata;
import dev.wasmorch.contract.cri.PodSandboxStatusRequest;
import dev.wasmorch.contract.cri.RemoveContainerRequest;
import dev.wasmorch.contract.cri.RemovePodSandboxRequest;
import dev.wasmorch.contract.cri.RunPodSandboxRequest;
import dev.wasmorch.contract.cri.RuntimeServiceGrpc;
import dev.wasmorch.contract.cri.StartContainerRequest;
import dev.wasmorch.contract.cri.StopContainerRequest;
import dev.wasmorch.contract.cri.StopPodSandboxRequest;
import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.backend.DeployException;
import dev.wasmorch.experiment.backend.Readiness;
import dev.wasmorch.experiment.model.Deployment;
import dev.wasmorch.experiment.model.Endpoint;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.ImageSize;
import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.PodTimings;
import dev.wasmorch.experiment.model.Runtime;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code local} backend: no cluster, one machine. It starts a private containerd with CRI (its
 * own root, state and socket; handlers {@code runc} and {@code wasmorch}, the shim; a CNI bridge of
 * its own; a locally built pause image), imports the 18 function images, starts the backing
 * services, and plays the kubelet through CRI: RunPodSandbox, CreateContainer, StartContainer and a
 * readiness probe, writing the native lifecycle lines with the µs times it took.
 *
 * <p>WASM pods share the node's network and answer on 127.0.0.1 (the port the shim prints): on
 * the pod network a WASM app's outbound HTTP leaves from the pod's namespace, where the services'
 * 127.0.0.1, the only host the function images grant, is not reachable. Container pods get their
 * own network namespace on the node's bridge and answer on their pod IP, port 8080. The load goes
 * nowhere else.
 */
public final class LocalBackend implements Backend {

    public static final String NAMESPACE = "wasmorch-lab";
    static final String NODE = "lab-node";
    static final int NATIVE_PORT = 8080;

    /** How long one CRI call may take (a sandbox with CNI, an image's first unpack). */
    private static final Duration CALL = Duration.ofSeconds(60);

    private static final Pattern LISTENING = Pattern.compile("listening on ([0-9.]+):(\\d{1,5})");

    private final LocalNode node;
    private final FunctionImages images;
    private final BackingServices services;
    private final Probe probe = new Probe();
    private final Map<PodRef, LocalPod> pods = new ConcurrentHashMap<>();
    /** Every sandbox a deploy made, by its id: the sweep of {@link #removeAll} logs what it removes. */
    private final Map<String, Map.Entry<PodRef, LocalPod>> sandboxes = new ConcurrentHashMap<>();

    private final Map<String, String> serviceEnv = new LinkedHashMap<>();
    private final Map<String, String> relayedEnv = new LinkedHashMap<>();
    private final List<Relay> relays = new java.util.ArrayList<>();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Removals running on the runner's thread: a pod it claimed is no longer in {@link #pods}, so
     * removeAll waits for them before its sweep, or the sweep races them and the node is read while
     * their sandbox still exists (seen in the kill test: pods_left 1).
     */
    private final java.util.concurrent.atomic.AtomicInteger removing = new java.util.concurrent.atomic.AtomicInteger();

    private volatile String remaining = "not checked yet";
    private volatile String remainingIds = "";
    private Readiness readiness;
    private LifecycleLog log;
    private RuntimeServiceGrpc.RuntimeServiceBlockingStub cri;
    private final Map<String, String> catalogEnv;

    /** A pod as far as it was made: the sandbox and container IDs CRI gave. */
    private static final class LocalPod {
        final Runtime runtime;
        volatile String sandbox;
        volatile String container;

        LocalPod(Runtime runtime) {
            this.runtime = runtime;
        }
    }

    public LocalBackend(
            LocalNode node, FunctionImages images, BackingServices services, Map<String, String> catalogEnv) {
        this.node = node;
        this.images = images;
        this.services = services;
        this.catalogEnv = Map.copyOf(catalogEnv);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void prepare(Setup setup) throws BackendException {
        readiness = setup.readiness();
        images.ensure(setup.functions(), setup.progress());
        setup.progress().line("starting the private containerd (CRI, runc and wasmorch handlers, CNI bridge)");
        node.start();
        cri = node.cri();
        for (FunctionSpec f : setup.functions()) {
            for (Runtime r : Runtime.values()) {
                setup.progress().line("importing " + FunctionImages.reference(f.name(), r));
                node.importImage(images.archive(f.name(), r));
            }
        }
        if (setup.functions().stream().anyMatch(f -> !f.services().isEmpty())) {
            setup.progress().line("starting the backing services (functions/baas)");
            serviceEnv.putAll(services.start());
        }
        try {
            if (!setup.functions().isEmpty()) {
                warmUp(setup.functions().get(0), setup.progress());
            }
            log = new LifecycleLog(setup.lifecycleDir().resolve("local-node.log"), NODE);
        } catch (IOException e) {
            throw new BackendException("lifecycle log: " + e.getMessage(), e);
        }
    }

    /**
     * One pod per runtime before any measured one, not part of the run: the node's first WASM pod
     * starts the shim's daemon (a JVM, a second or more), which would otherwise land on the first
     * measured pod (docs/benchmarks.md "experiment"); the first runc pod warms containerd's and
     * CNI's paths alike. Their lifecycle lines go to the node's directory, not the run's, so the
     * analysis never sees them. A warm-up pod that fails is said and removed; the run goes on, and
     * its own pods record whatever is wrong.
     */
    private void warmUp(FunctionSpec function, Progress progress) throws IOException, BackendException {
        try (LifecycleLog warmUpLog = new LifecycleLog(node.podLogs().resolve("warm-up-lifecycle.log"), NODE)) {
            log = warmUpLog;
            for (Runtime r : Runtime.values()) {
                String name = function.name() + "-" + r.label() + "-warm-up";
                progress.line("warm-up pod " + name + " (not measured)");
                try {
                    remove(deploy(new PodSpec(name, function, r, "warm-up")).pod());
                } catch (DeployException e) {
                    progress.line("warm-up pod " + name + " failed: " + e.getMessage());
                    if (e.pod() != null) {
                        remove(e.pod());
                    }
                }
            }
        } finally {
            log = null;
        }
    }

    /**
     * The services' URLs as a container on the bridge reaches them. The relays are made when the
     * first container pod needs them: the bridge exists only once CNI set up a first pod.
     */
    private synchronized Map<String, String> relayedEnv() throws BackendException {
        if (relayedEnv.isEmpty()) {
            for (Map.Entry<String, String> e : serviceEnv.entrySet()) {
                relayedEnv.put(e.getKey(), relay(e.getValue()));
            }
        }
        return relayedEnv;
    }

    /** A service URL on 127.0.0.1 as a container on the bridge reaches it: through a relay on the bridge's gateway. */
    private String relay(String url) throws BackendException {
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(.*)").matcher(url);
        if (!m.matches()) {
            throw new BackendException("backing service URL " + url + " is not http://127.0.0.1:PORT");
        }
        try {
            Relay relay = new Relay(node.gateway(), Integer.parseInt(m.group(1)));
            relays.add(relay);
            return "http://" + node.gateway() + ":" + relay.port() + m.group(2);
        } catch (IOException e) {
            throw new BackendException("relay to " + url + " on " + node.gateway() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Deployment deploy(PodSpec spec) throws DeployException {
        PodRef ref = new PodRef(NAMESPACE, spec.name(), UUID.randomUUID().toString());
        LocalPod pod = new LocalPod(spec.runtime());
        synchronized (pods) {
            if (closed) {
                throw new DeployException("the local node is shutting down", null, PodTimings.NONE, null);
            }
            pods.put(ref, pod);
            inFlight.incrementAndGet();
        }
        String handler = node.handler(spec.runtime());
        PodTimings t = PodTimings.NONE;
        long deadline = System.nanoTime() + readiness.timeout().toNanos();
        try {
            long created = PodTimings.now();
            t = t.withCreated(created);
            log.pod(created, "PodCreated", ref, handler);
            // no API server or scheduler: the request is bound to the one node when it is accepted
            log.pod(created, "PodScheduled", ref, handler);
            PodSandboxConfig sandbox = sandboxConfig(ref, spec);
            pod.sandbox = call().runPodSandbox(RunPodSandboxRequest.newBuilder()
                            .setConfig(sandbox)
                            .setRuntimeHandler(handler)
                            .build())
                    .getPodSandboxId();
            sandboxes.put(pod.sandbox, Map.entry(ref, pod));
            requireOpen(ref, t);
            long sandboxReady = PodTimings.now();
            t = t.withSandboxReady(sandboxReady);
            log.pod(sandboxReady, "SandboxReady", ref, handler);
            String name = spec.function().name();
            pod.container = call().createContainer(CreateContainerRequest.newBuilder()
                            .setPodSandboxId(pod.sandbox)
                            .setConfig(containerConfig(spec))
                            .setSandboxConfig(sandbox)
                            .build())
                    .getContainerId();
            requireOpen(ref, t);
            long containerCreated = PodTimings.now();
            t = t.withContainerCreated(containerCreated);
            log.container(containerCreated, "ContainerCreated", ref, handler, name, pod.container);
            call().startContainer(StartContainerRequest.newBuilder()
                    .setContainerId(pod.container)
                    .build());
            long started = PodTimings.now();
            t = t.withStarted(started);
            log.container(started, "ContainerStarted", ref, handler, name, pod.container);
            Endpoint endpoint = endpoint(ref, pod, spec, t, deadline);
            Probe.Result answer = probe.await(endpoint, spec.function().request(), readiness, deadline, () -> closed);
            requireOpen(ref, t);
            if (!answer.ready()) {
                throw new DeployException(
                        "not ready within " + readiness.timeout().toSeconds() + " s at " + endpoint.host() + ":"
                                + endpoint.port() + " (last probe: " + answer.last() + ")" + containerLog(ref, spec),
                        ref,
                        t,
                        null);
            }
            long ready = PodTimings.now();
            t = t.withReady(ready);
            log.pod(ready, "PodReady", ref, handler);
            return new Deployment(ref, spec, t, endpoint);
        } catch (StatusRuntimeException e) {
            throw new DeployException("CRI: " + e.getStatus() + containerLog(ref, spec), ref, t, e);
        } catch (IOException e) {
            throw new DeployException("lifecycle log: " + e.getMessage(), ref, t, e);
        } catch (DeployException e) {
            throw e;
        } catch (BackendException e) {
            throw new DeployException(e.getMessage(), ref, t, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted", ref, t, e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** After each step of a deploy: a shutdown that began meanwhile ends it (removeAll removes what it made). */
    private void requireOpen(PodRef ref, PodTimings t) throws DeployException {
        if (closed) {
            throw new DeployException("the local node is shutting down", ref, t, null);
        }
    }

    /** WASM: the port the shim printed on the container's stdout, on 127.0.0.1. Container: the pod IP, 8080. */
    private Endpoint endpoint(PodRef ref, LocalPod pod, PodSpec spec, PodTimings t, long deadline)
            throws DeployException, InterruptedException {
        if (spec.runtime() == Runtime.CONTAINER) {
            String ip = call().podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                            .setPodSandboxId(pod.sandbox)
                            .build())
                    .getStatus()
                    .getNetwork()
                    .getIp();
            if (!node.onBridge(ip)) {
                throw new DeployException(
                        "pod IP '" + ip + "' is not on the node's bridge " + node.subnet(), ref, t, null);
            }
            return new Endpoint(ip, NATIVE_PORT);
        }
        Path file = logFile(ref, spec);
        while (System.nanoTime() < deadline && !closed) {
            try {
                if (Files.exists(file)) {
                    Matcher m = LISTENING.matcher(Files.readString(file));
                    if (m.find()) {
                        return new Endpoint("127.0.0.1", Integer.parseInt(m.group(2)));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the log is written while we read; the next poll sees the whole line
            }
            Thread.sleep(readiness.interval().toMillis());
        }
        throw new DeployException(
                "the shim printed no 'listening on' line within "
                        + readiness.timeout().toSeconds() + " s" + containerLog(ref, spec),
                ref,
                t,
                null);
    }

    @Override
    public void remove(PodRef ref) throws BackendException {
        LocalPod pod;
        synchronized (pods) {
            pod = pods.remove(ref); // claimed: the runner and the Ctrl-C hook never remove one pod twice
            if (pod == null) {
                return;
            }
            removing.incrementAndGet();
        }
        try {
            if (pod.container != null) {
                call().stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(pod.container)
                        .setTimeout(5)
                        .build());
                call().removeContainer(RemoveContainerRequest.newBuilder()
                        .setContainerId(pod.container)
                        .build());
            }
            if (pod.sandbox != null) {
                removeSandbox(pod.sandbox);
            }
            log.pod(PodTimings.now(), "PodDeleted", ref, node.handler(pod.runtime));
        } catch (StatusRuntimeException e) {
            pods.put(ref, pod);
            throw new BackendException("removing pod " + ref.name() + ": CRI: " + e.getStatus(), e);
        } catch (IOException e) {
            throw new BackendException("lifecycle log: " + e.getMessage(), e);
        } finally {
            removing.decrementAndGet();
        }
    }

    @Override
    public Map<PodRef, String> removeAll() {
        synchronized (pods) {
            closed = true;
        }
        Map<PodRef, String> left = new LinkedHashMap<>();
        if (cri == null) {
            return left;
        }
        // a deploy in flight ends at its next step (requireOpen), a removal on the runner's thread after
        // its CRI calls; wait for both, bounded by a CRI call's deadline
        long end = System.nanoTime() + CALL.toNanos() + Duration.ofSeconds(10).toNanos();
        while (inFlight.get() + removing.get() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (PodRef ref : List.copyOf(pods.keySet())) {
            try {
                remove(ref);
            } catch (BackendException e) {
                left.put(ref, e.getMessage());
            }
        }
        sweep();
        return left;
    }

    /** Stops a sandbox (its network and pause container) and removes it, as the kubelet does. */
    private void removeSandbox(String id) {
        call().stopPodSandbox(
                        StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
        call().removePodSandbox(
                        RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    }

    /**
     * The node is the run's own, so every sandbox it still lists is the run's: one a deploy's thread
     * was removing when the shutdown came (the JVM may end before it finishes), or one whose
     * RunPodSandbox the signal cut before its id came back. Each is stopped and removed, bounded by
     * the CRI call's deadline; what is already gone is no error.
     */
    private void sweep() {
        List<PodSandbox> listed;
        try {
            listed = call().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                    .getItemsList();
        } catch (StatusRuntimeException e) {
            return; // collect() reports what CRI still lists, or that it could not ask
        }
        for (PodSandbox sandbox : listed) {
            try {
                removeSandbox(sandbox.getId());
                Map.Entry<PodRef, LocalPod> made = sandboxes.get(sandbox.getId());
                if (made != null) {
                    log.pod(PodTimings.now(), "PodDeleted", made.getKey(), node.handler(made.getValue().runtime));
                }
            } catch (StatusRuntimeException | IOException e) {
                // gone meanwhile, or not removable: collect() counts it in pods_left
            }
        }
    }

    @Override
    public List<ImageSize> imageSizes(FunctionSpec function) throws BackendException {
        return images.sizes(function);
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>(node.facts());
        m.put("node", NODE);
        m.put("namespace", NAMESPACE);
        m.put("wasm_network", "host (the images grant outbound HTTP to 127.0.0.1 only), load to 127.0.0.1");
        m.put("pods_left", remaining);
        if (!remainingIds.isEmpty()) {
            m.put("pods_left_ids", remainingIds);
        }
        m.put("container_network", "the node's CNI bridge (bridge), load to the pod IP port " + NATIVE_PORT);
        return m;
    }

    /**
     * The lifecycle lines are written as they happen (local-node.log), so nothing is gathered; what
     * is checked is that containerd's CRI lists no pod of the run any more, which run.json records
     * as {@code pods_left}.
     */
    @Override
    public void collect(Path dir) {
        try {
            List<String> left = node.remaining();
            remaining = Integer.toString(left.size());
            remainingIds = String.join(",", left);
        } catch (BackendException e) {
            remaining = "unknown (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        removeAll();
        for (Relay r : relays) {
            try {
                r.close();
            } catch (IOException e) {
                // closing a listening socket; nothing to keep
            }
        }
        relays.clear();
        try {
            services.close();
        } catch (BackendException e) {
            System.err.println("lab: " + e.getMessage());
        }
        try {
            if (log != null) {
                log.close();
            }
        } catch (IOException e) {
            System.err.println("lab: lifecycle log: " + e.getMessage());
        }
        node.close();
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub call() {
        return cri.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private PodSandboxConfig sandboxConfig(PodRef ref, PodSpec spec) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(ref.name())
                        .setUid(ref.uid())
                        .setNamespace(ref.namespace()))
                .setLogDirectory(node.podLogs().resolve(ref.uid()).toString())
                .putLabels("io.kubernetes.pod.name", ref.name())
                .putLabels("io.kubernetes.pod.namespace", ref.namespace())
                .putLabels("io.kubernetes.pod.uid", ref.uid())
                .putLabels(PodLabels.FUNCTION, spec.function().name())
                .putLabels(PodLabels.SCENARIO, spec.scenario())
                .putAnnotations(PodLabels.RUNTIME, spec.runtime().label())
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(namespaces(spec.runtime()))))
                .build();
    }

    private ContainerConfig containerConfig(PodSpec spec) throws BackendException {
        String name = spec.function().name();
        ContainerConfig.Builder c = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(FunctionImages.reference(name, spec.runtime())))
                .putLabels("io.kubernetes.container.name", name)
                .setLogPath(name + "/0.log")
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                                .setNamespaceOptions(namespaces(spec.runtime()))));
        if (spec.function().services().isEmpty()) {
            return c.build();
        }
        Map<String, String> env = spec.runtime() == Runtime.WASM ? serviceEnv : relayedEnv();
        for (String service : spec.function().services()) {
            String variable = catalogEnv.get(service);
            c.addEnvs(KeyValue.newBuilder().setKey(variable).setValue(env.get(variable)));
        }
        return c.build();
    }

    /** WASM: the node's network (NODE); container: a network namespace of its own (POD), set up by CNI. */
    private static NamespaceOption namespaces(Runtime runtime) {
        return NamespaceOption.newBuilder()
                .setNetwork(runtime == Runtime.WASM ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(NamespaceMode.CONTAINER)
                .setIpc(NamespaceMode.POD)
                .build();
    }

    private Path logFile(PodRef ref, PodSpec spec) {
        return node.podLogs().resolve(ref.uid()).resolve(spec.function().name()).resolve("0.log");
    }

    /** The container's last output, for a failure's message (what the function or the shim said). */
    private String containerLog(PodRef ref, PodSpec spec) {
        try {
            Path file = logFile(ref, spec);
            if (!Files.exists(file)) {
                return "";
            }
            String text = Files.readString(file).strip();
            return text.isEmpty()
                    ? ""
                    : "; container output: " + (text.length() > 600 ? "…" + text.substring(text.length() - 600) : text);
        } catch (IOException e) {
            return "";
        }
    }
}
