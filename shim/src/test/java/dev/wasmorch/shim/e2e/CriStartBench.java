package dev.wasmorch.shim.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.crinode.Command;
import dev.wasmorch.contract.crinode.CriNode;
import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.contract.registry.PortKeys;
import dev.wasmorch.shim.daemon.ShimMain;
import dev.wasmorch.shim.e2e.CriClient.Pod;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.JedisPooled;

/**
 * Benchmark (not a test; run by {@code shim/bin/cri-bench}): pod start through containerd's CRI
 * plugin as the kubelet drives it — RunPodSandbox (with PodSandboxStatus for the pod's IP),
 * CreateContainer, StartContainer, then the first HTTP 200 — for the same function as a WASM pod
 * (handler {@code wasmorch}) and as a native container (handler {@code runc}), both from the
 * images of functions/build.sh. Cases: the pod network (the node's CNI bridge, the app at
 * podIP:8080), hostNetwork (WASM: the port the shim publishes in Redis; native: a free port given
 * in {@code PORT}), and ten pods started at once per runtime, as the kubelet's pod workers start
 * them. Pods alternate between runtimes and cases one by one, so a slow minute of the machine
 * falls on all of them. Medians and p90 are percentiles of type 7 (docs/statistics.md).
 */
public final class CriStartBench {

    private static final String REDIS_URL = "redis://127.0.0.1:6379/5";
    private static final String NAMESPACE = "bench";
    private static final String CONTAINER = "fn";
    private static final int POD_PORT = 8080;
    private static final int AT_ONCE = 10;
    private static final Duration FIRST_200_LIMIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** The two sides, each with its RuntimeClass handler and its image of the function. */
    enum Runtime {
        WASM(PrivateContainerd.CRI_HANDLER, "wasm"),
        RUNC(CriNode.RUNC, "native");

        final String handler;
        final String tag;

        Runtime(String handler, String tag) {
            this.handler = handler;
            this.tag = tag;
        }
    }

    /** How one pod's start went, in ms; {@code sandbox} includes the PodSandboxStatus that gives its IP. */
    record Start(double sandbox, double create, double start, double first200) {
        double total() {
            return sandbox + create + start + first200;
        }
    }

    /** A case's measured starts per runtime; for ten at once also each round's makespan. */
    record Measured(Map<Runtime, List<Start>> starts, Map<Runtime, List<Double>> makespans) {
        static Measured empty() {
            Measured m = new Measured(new EnumMap<>(Runtime.class), new EnumMap<>(Runtime.class));
            for (Runtime r : Runtime.values()) {
                m.starts.put(r, new ArrayList<>());
                m.makespans.put(r, new ArrayList<>());
            }
            return m;
        }
    }

    private final PrivateContainerd containerd;
    private final CriClient cri;
    private final JedisPooled redis;
    private final String function;
    private final String query;
    private final AtomicInteger seq = new AtomicInteger();

    CriStartBench(PrivateContainerd containerd, JedisPooled redis, String function, String query) {
        this.containerd = containerd;
        this.cri = new CriClient(containerd.node());
        this.redis = redis;
        this.function = function;
        this.query = query;
    }

    /** {@code CriStartBench [PODS_PER_CASE [IMAGES_DIR [FUNCTION]]]}: defaults 40, ../functions/target/functions, prime-numbers. */
    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args, 40, "pods per case");
        onNode("cri-bench", node(), a, pods -> print(pods.run(a.count(), System.err), System.out));
    }

    /** What the CRI benchmarks take: {@code COUNT [IMAGES_DIR [FUNCTION]]}. */
    record BenchArgs(int count, Path images, String function) {
        static BenchArgs parse(String[] args, int defaultCount, String count) {
            BenchArgs a = new BenchArgs(
                    args.length > 0 ? Integer.parseInt(args[0]) : defaultCount,
                    Path.of(args.length > 1 ? args[1] : "../functions/target/functions"),
                    args.length > 2 ? args[2] : "prime-numbers");
            if (a.count < 1 || a.count > 1000) {
                throw new IllegalArgumentException(count + " must be 1..1000, not " + a.count);
            }
            return a;
        }
    }

    /** A benchmark's part that runs on the started node, its images imported. */
    interface OnNode {
        void run(CriStartBench pods) throws Exception;
    }

    /** Starts {@code containerd}, imports the function's images, runs {@code body}, stops the node; exit 2 if no node can run here. */
    static void onNode(String tool, PrivateContainerd containerd, BenchArgs a, OnNode body) throws Exception {
        String unavailable = PrivateContainerd.unavailableReason();
        if (unavailable != null) {
            System.err.println(tool + ": " + unavailable);
            System.exit(2);
        }
        try (JedisPooled redis = redis()) {
            containerd.start();
            CriStartBench pods = new CriStartBench(containerd, redis, a.function(), "n=1");
            pods.importImages(a.images());
            body.run(pods);
        } finally {
            containerd.stop();
        }
    }

    /** The private node the benchmark runs on: its shim publishes hostNetwork ports in Redis DB 5. */
    static PrivateContainerd node() {
        return new PrivateContainerd()
                .withEnv("WASMORCH_REDIS_URL", REDIS_URL)
                .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
                .withEnv("WASMORCH_NODE_NAME", "cri-bench");
    }

    static JedisPooled redis() {
        return new JedisPooled(URI.create(REDIS_URL));
    }

    /** Imports the function's two images of functions/build.sh, building them into {@code images} when missing. */
    void importImages(Path images) throws IOException, InterruptedException {
        if (!Files.isRegularFile(images.resolve(function).resolve("native.tar"))) {
            Path build = Path.of(System.getProperty("wasmorch.functions.build", "../functions/build.sh"));
            System.err.println("cri-bench: building the function images with " + build + " into " + images);
            Command.run(List.of(build.toString(), images.toString()), Duration.ofMinutes(10))
                    .ok();
        }
        for (Runtime r : Runtime.values()) {
            containerd
                    .node()
                    .importImage(CriNode.CRI_NAMESPACE, images.resolve(function).resolve(r.tag + ".tar"));
        }
    }

    private String image(Runtime r) {
        return "docker.io/wasmorch/" + function + ":" + r.tag;
    }

    /**
     * Warm-up pods first (the first WASM pod starts the shim's daemon; its background warm-up is
     * awaited, as a node's daemon is warm after its first seconds), then {@code count} pods per
     * runtime and case, interleaved; ten at once in {@code count / 10} rounds per runtime (at least one).
     */
    Map<String, Measured> run(int count, PrintStream progress) throws Exception {
        for (Runtime r : Runtime.values()) {
            startAndRemove(r, false);
            startAndRemove(r, true);
        }
        awaitWarmUp();
        Map<String, Measured> results = new LinkedHashMap<>();
        results.put("pod network", Measured.empty());
        results.put("hostNetwork", Measured.empty());
        results.put("10 at once, pod network", Measured.empty());
        for (int i = 0; i < count; i++) {
            // rotate which runtime and network goes first, so neither always follows the other
            for (int k = 0; k < 4; k++) {
                int slot = (k + i) % 4;
                Runtime r = Runtime.values()[slot % 2];
                boolean host = slot >= 2;
                results.get(host ? "hostNetwork" : "pod network").starts.get(r).add(startAndRemove(r, host));
            }
            if ((i + 1) % 10 == 0 || i + 1 == count) {
                progress.printf(Locale.ROOT, "cri-bench: %d/%d pods per runtime and network%n", i + 1, count);
            }
        }
        int rounds = Math.max(1, count / AT_ONCE);
        Measured together = results.get("10 at once, pod network");
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < 2; k++) {
                Runtime r = Runtime.values()[(k + i) % 2];
                long t0 = System.nanoTime();
                together.starts.get(r).addAll(atOnce(r));
                together.makespans.get(r).add((System.nanoTime() - t0) / 1e6);
            }
            progress.printf(Locale.ROOT, "cri-bench: %d/%d rounds of %d pods at once%n", i + 1, rounds, AT_ONCE);
        }
        return results;
    }

    private List<Start> atOnce(Runtime r) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(AT_ONCE);
        try {
            List<Future<Start>> futures = new ArrayList<>();
            for (int i = 0; i < AT_ONCE; i++) {
                futures.add(workers.submit(() -> startAndRemove(r, false)));
            }
            List<Start> starts = new ArrayList<>();
            for (Future<Start> f : futures) {
                starts.add(f.get());
            }
            return starts;
        } finally {
            workers.shutdownNow();
        }
    }

    /** One pod from RunPodSandbox to its first 200 (timed), then stopped and removed (not timed). */
    Start startAndRemove(Runtime r, boolean hostNetwork) throws Exception {
        String name = function + "-" + r.tag + "-" + seq.incrementAndGet();
        Pod pod = new Pod(
                NAMESPACE,
                name,
                "uid-" + name,
                Files.createDirectories(containerd.dir().resolve("pods/" + NAMESPACE + "_" + name)),
                hostNetwork);
        Map<String, String> env = new LinkedHashMap<>();
        int hostPort = 0;
        if (r == Runtime.RUNC && hostNetwork) {
            hostPort = freePort();
            env.put("HOST", "127.0.0.1");
            env.put("PORT", Integer.toString(hostPort));
        } else if (r == Runtime.WASM && !hostNetwork) {
            env.put(PodLabels.LISTEN_PORT_ENV, Integer.toString(POD_PORT));
        }
        long t0 = System.nanoTime();
        String sandbox = cri.runPodSandbox(pod, r.handler);
        String ip = hostNetwork ? "127.0.0.1" : cri.podIp(sandbox);
        long t1 = System.nanoTime();
        String container = null;
        try {
            container = cri.createContainer(sandbox, pod, CONTAINER, 0, image(r), env);
            long t2 = System.nanoTime();
            cri.startContainer(container);
            long t3 = System.nanoTime();
            int port = hostNetwork ? (r == Runtime.RUNC ? hostPort : publishedPort(name, t3)) : POD_PORT;
            awaitFirst200(ip, port, t3, name);
            long t4 = System.nanoTime();
            return new Start(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3));
        } finally {
            if (container != null) {
                cri.stopContainer(container, 5);
                cri.removeContainer(container);
            }
            cri.stopPodSandbox(sandbox);
            cri.removePodSandbox(sandbox);
        }
    }

    /** The OS-assigned port a hostNetwork WASM pod's app publishes (the registry's key by pod). */
    private int publishedPort(String pod, long since) throws Exception {
        String key = PortKeys.byPod(NAMESPACE, pod, CONTAINER);
        while (true) {
            String json = redis.get(key);
            if (json != null) {
                return JSON.readTree(json).path("port").asInt();
            }
            checkLimit(since, "no port registered under " + key);
            Thread.sleep(1);
        }
    }

    private void awaitFirst200(String ip, int port, long since, String pod) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + "/?" + query))
                .timeout(Duration.ofSeconds(5))
                .build();
        while (true) {
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // refused until the app listens
            }
            checkLimit(since, pod + " did not answer 200 at " + ip + ":" + port);
            Thread.sleep(1);
        }
    }

    private static void checkLimit(long since, String what) {
        if (System.nanoTime() - since > FIRST_200_LIMIT.toNanos()) {
            throw new IllegalStateException(what + " within " + FIRST_200_LIMIT.toSeconds() + " s");
        }
    }

    private void awaitWarmUp() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!containerd.shimLog().contains(ShimMain.WARM_UP_DONE)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the shim daemon's background warm-up did not finish within 120 s");
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** The table of docs/benchmarks.md "shim: pod start through CRI". */
    static void print(Map<String, Measured> results, PrintStream out) {
        out.println("| case | runtime | pods | RunPodSandbox | CreateContainer | StartContainer | first 200 | total |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, Measured> e : results.entrySet()) {
            for (Runtime r : Runtime.values()) {
                List<Start> s = e.getValue().starts.get(r);
                out.printf(
                        Locale.ROOT,
                        "| %s | %s | %d | %s | %s | %s | %s | %s |%n",
                        e.getKey(),
                        r.name().toLowerCase(Locale.ROOT),
                        s.size(),
                        cell(s.stream().map(Start::sandbox).toList()),
                        cell(s.stream().map(Start::create).toList()),
                        cell(s.stream().map(Start::start).toList()),
                        cell(s.stream().map(Start::first200).toList()),
                        cell(s.stream().map(Start::total).toList()));
            }
        }
        out.println();
        out.println("Cells: median / p90, ms. Median total, runc / wasm:");
        for (Map.Entry<String, Measured> e : results.entrySet()) {
            double wasm = percentile(totals(e.getValue(), Runtime.WASM), 50);
            double runc = percentile(totals(e.getValue(), Runtime.RUNC), 50);
            out.printf(Locale.ROOT, "- %s: %.1f / %.1f ms = %.2f×%n", e.getKey(), runc, wasm, runc / wasm);
        }
        for (Map.Entry<String, Measured> e : results.entrySet()) {
            for (Runtime r : Runtime.values()) {
                List<Double> m = e.getValue().makespans.get(r);
                if (!m.isEmpty()) {
                    out.printf(
                            Locale.ROOT,
                            "- %s, %s: all %d ready after %s ms (median / p90 of %d rounds)%n",
                            e.getKey(),
                            r.name().toLowerCase(Locale.ROOT),
                            AT_ONCE,
                            cell(m),
                            m.size());
                }
            }
        }
    }

    private static List<Double> totals(Measured m, Runtime r) {
        return m.starts.get(r).stream().map(Start::total).toList();
    }

    static String cell(List<Double> values) {
        return String.format(Locale.ROOT, "%.1f / %.1f", percentile(values, 50), percentile(values, 90));
    }

    /** Type 7 (linear interpolation between the closest ranks), docs/statistics.md. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = values.stream().sorted().toList();
        double h = (s.size() - 1) * p / 100;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, s.size() - 1);
        return s.get(lo) + (h - lo) * (s.get(hi) - s.get(lo));
    }
}
