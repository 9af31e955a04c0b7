package dev.wasmorch.shim.app;

import com.sun.net.httpserver.HttpServer;
import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.shim.registry.PortRegistration;
import dev.wasmorch.shim.registry.PortRegistry;
import dev.wasmorch.shim.registry.RedisTarget;
import dev.wasmorch.shim.task.LifecycleLog;
import dev.wasmorch.shim.task.TaskSpec;
import dev.wasmorch.shim.task.WorkloadException;
import dev.wasmorch.shim.task.WorkloadFactory;
import dev.wasmorch.shim.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Starts apps: reads the container's {@code spin.toml}, compiles every routed module once, binds an
 * HTTP listener on a port the OS assigns, publishes it in Redis and serves each request in a fresh
 * instance. One runner serves all tasks of a shim process.
 */
public final class AppRunner implements WorkloadFactory, AutoCloseable {

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, each response
        // waits for the client's delayed ACK (~40 ms). Read once when the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final ShimSettings settings;
    private final LifecycleLog lifecycle;
    private final PortRegistry registry;
    private final ModuleCache modules;
    /** Whether a task has arrived: the background warm-up stops then. */
    private volatile boolean taskArrived;

    private final ScheduledExecutorService registryScheduler =
            Executors.newSingleThreadScheduledExecutor(daemon("wasmorch-registry"));
    private final ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(daemon("wasmorch-watchdog"));
    /** The module store's file writes, one at a time, off the tasks' start path. */
    private final ExecutorService storeWriter = Executors.newSingleThreadExecutor(daemon("wasmorch-module-store"));

    public AppRunner(ShimSettings settings, LifecycleLog lifecycle) {
        this(
                settings,
                lifecycle,
                new PortRegistry(
                        RedisTarget.parse(settings.redisUrl(), settings.redisPassword(), settings.redisCaFile()),
                        settings.nodeName()));
    }

    /** Ports go to {@code registry}, which the runner closes with itself. */
    public AppRunner(ShimSettings settings, LifecycleLog lifecycle, PortRegistry registry) {
        this.settings = settings;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.modules = new ModuleCache(
                ModuleCache.CAPACITY,
                settings.moduleStore() == null
                        ? null
                        : new ModuleStore(settings.moduleStore(), System.err::println, storeWriter));
    }

    /**
     * Added to the agreed interface: warms the start and request path up ({@link WarmUp}) with an
     * internal app, {@code rounds} times, without Redis registrations or lifecycle lines. A long-lived
     * shim daemon calls it once before it accepts tasks, so the first containers of a node do not pay
     * for loading the WebAssembly compiler (seconds on a cold JVM) and running cold code.
     *
     * @throws IllegalStateException if the internal app cannot start or answer (a broken installation)
     */
    public void warmUp(int rounds) {
        warmUp(rounds, () -> false);
    }

    /**
     * The background part of the warm-up: up to {@code rounds} rounds, none after the first task
     * (a pod's sandbox, at RunPodSandbox) arrived. A pod that arrives meanwhile would share the cores
     * with the rounds and with the JIT compilations they queue, so the warm-up gives way for good:
     * from then on real pods warm the same code.
     *
     * @return the rounds run
     */
    public int warmUpUntilATaskArrives(int rounds) {
        return warmUp(rounds, () -> taskArrived);
    }

    /**
     * Added to the agreed interface: the first part of the background warm-up. Compiles the modules
     * the node's module store kept ({@link ShimSettings#moduleStore()}), most recently used first,
     * none after the first task arrived (as {@link #warmUpUntilATaskArrives}): the pods that come
     * back after a node's boot or a daemon's crash then start on compiled modules.
     *
     * @return the modules compiled
     */
    public int precompileStoredUntilATaskArrives() {
        return modules.precompile(settings.maxMemoryBytes(), () -> taskArrived);
    }

    /**
     * Added to the agreed interface: the second part of the background warm-up, {@code rounds}
     * compilations of a C program's module ({@link WarmUp#compiler}), none after the first task
     * arrived: a pod's first module of a kind then compiles on a warm compiler.
     *
     * @return the rounds run
     */
    public int warmUpCompilerUntilATaskArrives(int rounds) {
        return WarmUp.compiler(rounds, settings.maxMemoryBytes(), () -> taskArrived);
    }

    @Override
    public void taskArriving() {
        taskArrived = true;
    }

    /**
     * Added to the agreed interface: one pod's task calls (sandbox and app) through a task service
     * of their own with the internal app ({@link WarmUp#tasks}), without Redis registrations or
     * lifecycle lines. The daemon runs it before it accepts tasks, after {@link #warmUp(int)}.
     *
     * @throws IllegalStateException if a call fails (a broken installation)
     */
    public void warmUpTasks() {
        ModuleCache compileEveryTime = new ModuleCache(0);
        try {
            WarmUp.tasks(spec -> launch(spec, LifecycleLog.discarding(), false, compileEveryTime));
        } catch (IOException | TtrpcException e) {
            throw new IllegalStateException("warm-up of the task calls failed: " + e.getMessage(), e);
        }
    }

    private int warmUp(int rounds, BooleanSupplier stop) {
        try {
            // a cache that keeps nothing: every round compiles, so the compiler's code gets warm too
            ModuleCache compileEveryTime = new ModuleCache(0);
            return WarmUp.run(rounds, spec -> launch(spec, LifecycleLog.discarding(), false, compileEveryTime), stop);
        } catch (WorkloadException | IOException e) {
            throw new IllegalStateException("warm-up of the WebAssembly runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public RunningApp start(TaskSpec spec) throws WorkloadException {
        return launch(spec, lifecycle, true, modules);
    }

    private AppInstance launch(TaskSpec spec, LifecycleLog log, boolean publish, ModuleCache cache)
            throws WorkloadException {
        AppConcurrency concurrency;
        try {
            concurrency = AppConcurrency.from(spec.config().env(), settings.concurrency());
        } catch (IllegalArgumentException e) {
            throw new WorkloadException(
                    "invalid_setting", "container " + spec.key().id() + ": environment variable " + e.getMessage());
        }
        SpinManifest manifest = ManifestReader.read(spec.rootfs());
        Map<String, WagiHandler.Target> targets = new LinkedHashMap<>();
        Map<String, FileMounts> mounts = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        int cached = 0;
        try {
            for (var route : manifest.routes()) {
                if (!targets.containsKey(route.component())) {
                    var component = manifest.components().get(route.component());
                    ModuleCache.Lookup lookup =
                            cache.compile(component.id(), component.source(), settings.maxMemoryBytes());
                    WasmComponent module = lookup.component();
                    cached += lookup.cached() ? 1 : 0;
                    HttpGrant grant = component.httpGrant();
                    if (!component.allowedOutboundHosts().isEmpty()) {
                        tell(
                                spec.stdout(),
                                "wasmorch-shim: component " + component.id() + " may send HTTP requests to "
                                        + component.allowedOutboundHosts());
                    }
                    FileMounts files = FileMounts.prepare(component, spec.rootfs());
                    mounts.put(component.id(), files);
                    targets.put(
                            component.id(),
                            new WagiHandler.Target(module, component.environment(), files.preopens(), grant));
                }
                if (!targets.get(route.component())
                        .module()
                        .exports(route.wagi().entrypoint())) {
                    throw new WorkloadException(
                            "broken_module",
                            manifest.file() + ": " + route.field() + ": component "
                                    + route.component() + " exports no function \""
                                    + route.wagi().entrypoint()
                                    + "\" (the WAGI entrypoint)");
                }
            }
        } catch (WorkloadException e) {
            mounts.values().forEach(FileMounts::close);
            throw e;
        }
        log.appEvent(
                spec,
                "ModuleCompiled",
                String.format(
                        Locale.ROOT,
                        "%d module(s) in %.1f ms, %d already compiled",
                        targets.size(),
                        (System.nanoTime() - t0) / 1e6,
                        cached));

        OutputStream stderr = new SynchronizedOutput(spec.stderr());
        AppInstance[] self = new AppInstance[1];
        int listenPort; // the pod's declared port; on the node's network the OS chooses one
        try {
            listenPort = spec.podNetwork().isPresent() ? listenPort(spec) : 0;
        } catch (IllegalArgumentException e) {
            mounts.values().forEach(FileMounts::close);
            throw new WorkloadException(
                    "invalid_setting", "container " + spec.key().id() + ": environment variable " + e.getMessage());
        }
        ThreadFactory appThreads = daemon("wasmorch-app-" + shortId(spec.key().id()));
        // in the pod's network, request threads (and so the outbound sockets they open) are the pod's too
        Workers workers = new Workers(
                concurrency,
                spec.podNetwork().map(netns -> netns.threads(appThreads)).orElse(appThreads),
                line -> tell(stderr, "wasmorch-shim: " + line),
                System::nanoTime);
        WagiHandler handler = new WagiHandler(
                new Router(manifest.routes()),
                targets,
                spec.config().env(),
                settings.requestTimeout(),
                settings.outboundHttp(),
                OutboundClient.of(spec.podNetwork(), shortId(spec.key().id())),
                workers,
                watchdog,
                stderr,
                () -> self[0].firstSuccess(() -> log.appEvent(spec, "FirstRequest", null)));
        Listener listener;
        try {
            listener = listen(spec, listenPort);
        } catch (IOException e) {
            workers.threads().shutdown();
            handler.close();
            mounts.values().forEach(FileMounts::close);
            throw new WorkloadException(
                    "listen_failed",
                    "container " + spec.key().id() + ": cannot listen on " + where(spec, listenPort) + ": "
                            + e.getMessage(),
                    e);
        }
        HttpServer server = listener.server();
        server.createContext("/", handler);
        server.setExecutor(workers.threads());
        server.start();
        int port = server.getAddress().getPort();
        handler.localPort(port);
        log.appEvent(spec, "Listening", "port=" + port);

        String hostIp = listener.address() != null ? listener.address() : publishedIp();
        tell(
                spec.stdout(),
                "wasmorch-shim: app " + manifest.name() + " listening on " + hostIp + ":" + port + " (routes "
                        + String.join(
                                ", ",
                                manifest.routes().stream().map(r -> r.route()).toList()) + ")");
        var registration = new PortRegistration(
                port,
                spec.key().id(),
                spec.config().podNamespace(),
                spec.config().podName(),
                spec.config().containerName(),
                settings.nodeName(),
                hostIp);
        var publication = publish ? registry.publish(registration, registryScheduler) : null;
        self[0] = new AppInstance(server, handler, settings.maxMemoryBytes(), workers, publication, mounts.values());
        return self[0];
    }

    /** A bound HTTP server and the address it is reached at ({@code null}: the node's, see publishedIp). */
    private record Listener(HttpServer server, String address) {}

    /**
     * On the node's network: a port the OS assigns, on the configured host address. In the pod's
     * own network: the declared port on every address of the pod, the socket made by a thread
     * inside the pod's namespace, which also reads the pod's IP there.
     */
    private Listener listen(TaskSpec spec, int port) throws IOException {
        if (spec.podNetwork().isEmpty()) {
            InetAddress bind = settings.hostIp() == null ? null : InetAddress.getByName(settings.hostIp());
            return new Listener(HttpServer.create(new InetSocketAddress(bind, 0), 128), null);
        }
        return spec.podNetwork()
                .get()
                .call(() -> new Listener(HttpServer.create(new InetSocketAddress(port), 128), podIp()));
    }

    /** Where the app was to listen, for a message. */
    private String where(TaskSpec spec, int port) {
        return spec.podNetwork()
                .map(netns -> "port " + port + " in the pod's network namespace " + netns.path())
                .orElse(settings.hostIp() == null ? "0.0.0.0" : settings.hostIp());
    }

    /** The port a pod-network app listens on: {@value PodLabels#LISTEN_PORT_ENV}, else the default. */
    private static int listenPort(TaskSpec spec) {
        String value = spec.config().env().get(PodLabels.LISTEN_PORT_ENV);
        if (value == null) {
            return PodLabels.DEFAULT_LISTEN_PORT;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                PodLabels.LISTEN_PORT_ENV + "=\"" + value + "\" is not a TCP port (1 to 65535)");
    }

    /**
     * The pod's IPv4 address, read by a thread in its namespace: the first local address of its
     * routing table ({@code /proc/thread-self/net/fib_trie}, the calling thread's namespace, unlike
     * NetworkInterface, which lists the process's) that is not a loopback one.
     */
    private static String podIp() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/thread-self/net/fib_trie"));
        for (int i = 1; i < lines.size(); i++) {
            String address = lines.get(i - 1).replace("|--", "").trim();
            if (lines.get(i).trim().equals("/32 host LOCAL") && !address.startsWith("127.")) {
                return address;
            }
        }
        return "127.0.0.1"; // a pod network without an interface yet: reachable only inside the pod
    }

    /** A line for the container's log: with {@code ctr run} or {@code kubectl logs} users see the port. */
    private static void tell(OutputStream out, String line) {
        try {
            out.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // The container's log is gone (the task is being torn down); serving does not depend on it.
        }
    }

    /** The address other nodes reach this node on: the configured one, else the primary address. */
    private String publishedIp() {
        if (settings.hostIp() != null && !settings.hostIp().equals("0.0.0.0")) {
            return settings.hostIp();
        }
        // Connecting a UDP socket sends nothing; it only asks the kernel which source address it would use.
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(InetAddress.getByName("192.0.2.1"), 9);
            InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local.getHostAddress();
            }
        } catch (IOException e) {
            // no route: fall back to the host name's address
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    @Override
    public void close() {
        registryScheduler.shutdownNow();
        watchdog.shutdownNow();
        storeWriter.shutdown(); // a module being written still lands whole (written, then renamed)
        registry.close();
    }

    private static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    /** Daemon threads named {@code prefix-N}: none of an app's threads keeps the daemon JVM alive. */
    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
