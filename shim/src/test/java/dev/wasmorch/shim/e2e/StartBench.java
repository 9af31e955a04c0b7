package dev.wasmorch.shim.e2e;

import dev.wasmorch.shim.app.TestApps;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.JedisPooled;

/**
 * Benchmark (not a test; run by {@code shim/bin/shim-bench}): time from {@code ctr run} to the first
 * HTTP 200 for the same C function (src/test/c/counter.c), as a WASM app through the wasmorch shim
 * and compiled natively as a CGI of busybox httpd in a runc container, both on the host network, on
 * one private containerd. Runs alternate between the two so load drift hits both alike. Prints a
 * table of median/mean/min/max; the median is the middle value (mean of the two middle ones for an
 * even count).
 */
public final class StartBench {

    private static final String REDIS_URL = "redis://127.0.0.1:6379/2";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final PrivateContainerd containerd;
    private final JedisPooled redis = new JedisPooled(URI.create(REDIS_URL));
    private int seq;

    private StartBench(PrivateContainerd containerd) {
        this.containerd = containerd;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String unavailable = PrivateContainerd.unavailableReason();
        if (unavailable != null) {
            System.err.println("shim-bench: " + unavailable);
            System.exit(2);
        }
        PrivateContainerd containerd = new PrivateContainerd().withEnv("WASMORCH_REDIS_URL", REDIS_URL)
                .withEnv("WASMORCH_HOST_IP", "127.0.0.1").withEnv("WASMORCH_NODE_NAME", "bench");
        try {
            containerd.start();
            new StartBench(containerd).run(runs);
        } finally {
            containerd.stop();
        }
    }

    private void run(int runs) throws Exception {
        Path work = Files.createDirectories(containerd.dir().resolve("bench"));
        Path app = TestApps.app(Files.createDirectories(work.resolve("app")), "/...=counter");
        AppImages.importImage(containerd, app, "bench-counter");
        Path rootfs = nativeRootfs(work);

        // the first WASM task starts the node's shim daemon (JVM start-up): reported on its own
        double coldWasm = wasmRun(null, new HashMap<>());
        wasmRun(null, new HashMap<>());
        runcRun(rootfs);
        runcRun(rootfs);
        Map<String, Instant> starts = new HashMap<>();
        List<Double> wasm = new ArrayList<>();
        List<Double> wasmRootfs = new ArrayList<>();
        List<Double> runc = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            wasm.add(wasmRun(null, starts));
            wasmRootfs.add(wasmRun(app, new HashMap<>()));
            runc.add(runcRun(rootfs));
            System.err.printf(Locale.ROOT, "run %d/%d: wasm %.1f ms, wasm --rootfs %.1f ms, runc %.1f ms%n", i, runs,
                    wasm.get(i - 1), wasmRootfs.get(i - 1), runc.get(i - 1));
        }
        System.out.println("| runtime | runs | median ms | mean ms | min ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        row("wasm (wasmorch shim, imported image)", wasm);
        row("wasm (wasmorch shim, --rootfs)", wasmRootfs);
        row("runc (busybox httpd + native CGI, --rootfs)", runc);
        System.out.printf(Locale.ROOT, "%nfirst WASM task incl. shim daemon start: %.1f ms%n", coldWasm);
        System.out.printf(Locale.ROOT, "median runc / median wasm (image): %.2fx; / wasm (--rootfs): %.2fx%n",
                median(runc) / median(wasm), median(runc) / median(wasmRootfs));
        phases(starts, containerd.shimLog());
    }

    /**
     * Where the WASM start time goes (image runs), from the shim's lifecycle lines: medians of
     * ctr run → TaskCreated (containerd, snapshot, launcher, Create), → ModuleCompiled (manifest,
     * compile), → Listening (bind, Redis). Same clock: the shim runs on this machine.
     */
    private static void phases(Map<String, Instant> starts, String shimLog) {
        Map<String, Map<String, Instant>> events = new HashMap<>();
        Pattern line = Pattern.compile("ts=(\\S+) event=(TaskCreated|ModuleCompiled|Listening) .*?cid=(\\S+)");
        for (String l : shimLog.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.find() && starts.containsKey(m.group(3))) {
                events.computeIfAbsent(m.group(3), k -> new HashMap<>()).put(m.group(2), Instant.parse(m.group(1)));
            }
        }
        String[] order = {"TaskCreated", "ModuleCompiled", "Listening"};
        System.out.println();
        System.out.println("| phase (wasm, image) | median ms |");
        System.out.println("|---|---:|");
        String from = "ctr run";
        for (String to : order) {
            List<Double> d = new ArrayList<>();
            for (var e : starts.entrySet()) {
                Map<String, Instant> ev = events.getOrDefault(e.getKey(), Map.of());
                Instant a = from.equals("ctr run") ? e.getValue() : ev.get(from);
                Instant b = ev.get(to);
                if (a != null && b != null) {
                    d.add(Duration.between(a, b).toNanos() / 1e6);
                }
            }
            System.out.printf(Locale.ROOT, "| %s → %s | %.1f |%n", from, to, d.isEmpty() ? Double.NaN : median(d));
            from = to;
        }
    }

    /** ctr run of the WASM image (or of the app directory as --rootfs) → port from Redis → first 200. */
    private double wasmRun(Path rootfs, Map<String, Instant> starts) throws Exception {
        String id = "w" + (++seq);
        starts.put(id, Instant.now());
        long t0 = System.nanoTime();
        if (rootfs == null) {
            containerd.ctr("run", "-d", "--net-host", "--runtime", PrivateContainerd.RUNTIME,
                    AppImages.imageRef("bench-counter"), id).ok();
        } else {
            containerd.ctr("run", "-d", "--net-host", "--runtime", PrivateContainerd.RUNTIME, "--rootfs",
                    rootfs.toString(), id).ok();
        }
        String json;
        while ((json = redis.get("wasmorch:port:cid:" + id)) == null) {
            Thread.sleep(1);
        }
        int port = Integer.parseInt(json.replaceAll(".*\"port\":(\\d+).*", "$1"));
        awaitOk(port, "/");
        double ms = (System.nanoTime() - t0) / 1e6;
        remove(id);
        return ms;
    }

    /** ctr run of busybox httpd (runc) → first 200 from the native CGI. */
    private double runcRun(Path rootfs) throws Exception {
        String id = "r" + (++seq);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        containerd.ctr("run", "-d", "--net-host", "--rootfs", rootfs.toString(), id, "/bin/busybox", "httpd", "-f",
                "-p", "127.0.0.1:" + port, "-h", "/www").ok();
        awaitOk(port, "/cgi-bin/counter");
        double ms = (System.nanoTime() - t0) / 1e6;
        remove(id);
        return ms;
    }

    private static void awaitOk(int port, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().equals("count=1\n")) {
                    return;
                }
                if (r.statusCode() == 200) {
                    throw new IllegalStateException("unexpected body from " + req.uri() + ": " + r.body());
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no 200 from " + req.uri() + " within 60 s");
            }
            Thread.sleep(1);
        }
    }

    private void remove(String id) throws Exception {
        containerd.ctr("task", "kill", "-s", "SIGKILL", id).ok();
        containerd.awaitStatus(id, "STOPPED");
        containerd.ctr("task", "delete", id).ok();
        containerd.ctr("container", "delete", id).ok();
    }

    /** busybox (static) as httpd and counter.c compiled natively (static) as its CGI. */
    private static Path nativeRootfs(Path work) throws Exception {
        Path root = Files.createDirectories(work.resolve("runc-rootfs"));
        Files.createDirectories(root.resolve("bin"));
        Path cgi = Files.createDirectories(root.resolve("www/cgi-bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        Path src = Path.of(System.getProperty("wasmorch.testapps.src", "src/test/c"), "counter.c");
        PrivateContainerd.run(List.of("clang", "-O2", "-static", "-o", cgi.resolve("counter").toString(),
                src.toString()), Duration.ofSeconds(120)).ok();
        Files.setPosixFilePermissions(cgi.resolve("counter"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    private static void row(String name, List<Double> ms) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", name, ms.size(), median(ms),
                ms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                ms.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                ms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }

    static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

}
