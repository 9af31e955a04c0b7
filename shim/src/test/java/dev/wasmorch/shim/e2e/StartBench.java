package dev.wasmorch.shim.e2e;

import dev.wasmorch.contract.crinode.Command;
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
import java.util.HashMap;
import java.util.List;
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
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
        PrivateContainerd containerd = new PrivateContainerd()
                .withEnv("WASMORCH_REDIS_URL", REDIS_URL)
                .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
                .withEnv("WASMORCH_NODE_NAME", "bench");
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
        Path empty = Files.createDirectories(work.resolve("empty-rootfs"));

        // the first WASM task starts the node's shim daemon (JVM start-up): reported on its own
        double coldWasm = wasmRun(null, null);
        awaitBackgroundWarmUp();
        wasmRun(null, null);
        runcRun(rootfs);
        runcRun(rootfs);
        List<Milestones> image = new ArrayList<>();
        List<Double> wasm = new ArrayList<>();
        List<Double> wasmRootfs = new ArrayList<>();
        List<Double> runc = new ArrayList<>();
        List<Double> bareWasm = new ArrayList<>();
        List<Double> bareRunc = new ArrayList<>();
        List<Double> ctrVersion = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Milestones m = new Milestones("w" + (++seq));
            wasm.add(wasmRun(null, m));
            image.add(m);
            wasmRootfs.add(wasmRun(app, null));
            runc.add(runcRun(rootfs));
            bareWasm.add(bareRun(
                    List.of(
                            "--runtime",
                            PrivateContainerd.RUNTIME,
                            "--annotation",
                            "io.kubernetes.cri.container-type=sandbox"),
                    empty,
                    List.of()));
            bareRunc.add(bareRun(List.of(), rootfs, List.of("/bin/busybox", "sleep", "600")));
            ctrVersion.add(timed(() -> containerd.ctr("version").ok()));
            System.err.printf(
                    Locale.ROOT,
                    "run %d/%d: wasm %.1f ms, wasm --rootfs %.1f ms, runc %.1f ms%n",
                    i,
                    runs,
                    wasm.get(i - 1),
                    wasmRootfs.get(i - 1),
                    runc.get(i - 1));
        }
        System.out.println("| runtime | runs | median ms | mean ms | min ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        row("wasm (wasmorch shim, imported image)", wasm);
        row("wasm (wasmorch shim, --rootfs)", wasmRootfs);
        row("runc (busybox httpd + native CGI, --rootfs)", runc);
        System.out.printf(Locale.ROOT, "%nfirst WASM task incl. shim daemon start: %.1f ms%n", coldWasm);
        System.out.printf(
                Locale.ROOT,
                "median runc / median wasm (image): %.2fx; / wasm (--rootfs): %.2fx%n",
                median(runc) / median(wasm),
                median(runc) / median(wasmRootfs));
        System.out.println();
        System.out.println(
                "| bare `ctr run -d`, no app (the floor both share) | runs | median ms | mean ms | min ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        row("wasmorch shim: CRI sandbox task (launcher, Create, Start; nothing runs)", bareWasm);
        row("runc: busybox sleep", bareRunc);
        row("`ctr version` (the ctr client and one containerd call)", ctrVersion);
        phases(image, containerd.shimLog());
    }

    /** Measures the daemon warmed up as it is on a node after its first seconds, not while it warms. */
    private void awaitBackgroundWarmUp() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!containerd.shimLog().contains(dev.wasmorch.shim.daemon.ShimMain.WARM_UP_DONE)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the shim daemon's background warm-up did not finish within 120 s");
            }
            Thread.sleep(100);
        }
        String log = containerd.shimLog();
        int at = log.indexOf(dev.wasmorch.shim.daemon.ShimMain.WARM_UP_DONE);
        System.err.println(log.substring(at, log.indexOf('\n', at)));
    }

    /** When one image run passed each step: client side here, shim side from its lifecycle lines. */
    private static final class Milestones {
        final String id;
        final Map<String, Instant> at = new HashMap<>();

        Milestones(String id) {
            this.id = id;
        }
    }

    /**
     * Where the WASM start time goes (image runs): medians of the steps between consecutive
     * milestones — the client's (ctr started, ctr returned, port read from Redis, first 200) and
     * the shim's lifecycle lines (TaskCreated, ModuleCompiled, Listening, FirstRequest). Same clock:
     * the shim runs here.
     */
    private static void phases(List<Milestones> runs, String shimLog) {
        Pattern line =
                Pattern.compile("ts=(\\S+) event=(TaskCreated|ModuleCompiled|Listening|FirstRequest) .*?cid=(\\S+)");
        Map<String, Milestones> byId = new HashMap<>();
        runs.forEach(m -> byId.put(m.id, m));
        for (String l : shimLog.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.find() && byId.containsKey(m.group(3))) {
                byId.get(m.group(3)).at.put(m.group(2), Instant.parse(m.group(1)));
            }
        }
        String[] order = {
            "ctr run",
            "TaskCreated",
            "ModuleCompiled",
            "Listening",
            "ctr returned",
            "port from Redis",
            "FirstRequest",
            "first 200"
        };
        System.out.println();
        System.out.println("| phase (wasm, image) | median ms |");
        System.out.println("|---|---:|");
        for (int i = 1; i < order.length; i++) {
            List<Double> d = new ArrayList<>();
            for (Milestones m : runs) {
                Instant a = m.at.get(order[i - 1]);
                Instant b = m.at.get(order[i]);
                if (a != null && b != null) {
                    d.add(Duration.between(a, b).toNanos() / 1e6);
                }
            }
            System.out.printf(
                    Locale.ROOT, "| %s → %s | %.1f |%n", order[i - 1], order[i], d.isEmpty() ? Double.NaN : median(d));
        }
    }

    /**
     * ctr run of the WASM image (or of the app directory as --rootfs) → port from Redis → first 200.
     * With {@code milestones}, the client-side instants are recorded under its id.
     */
    private double wasmRun(Path rootfs, Milestones milestones) throws Exception {
        String id = milestones != null ? milestones.id : "w" + (++seq);
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        if (rootfs == null) {
            containerd
                    .ctr(
                            "run",
                            "-d",
                            "--net-host",
                            "--runtime",
                            PrivateContainerd.RUNTIME,
                            AppImages.imageRef("bench-counter"),
                            id)
                    .ok();
        } else {
            containerd
                    .ctr(
                            "run",
                            "-d",
                            "--net-host",
                            "--runtime",
                            PrivateContainerd.RUNTIME,
                            "--rootfs",
                            rootfs.toString(),
                            id)
                    .ok();
        }
        long returned = System.nanoTime();
        String json;
        while ((json = redis.get("wasmorch:port:cid:" + id)) == null) {
            Thread.sleep(1);
        }
        long registered = System.nanoTime();
        int port = Integer.parseInt(json.replaceAll(".*\"port\":(\\d+).*", "$1"));
        awaitOk(port, "/");
        long done = System.nanoTime();
        if (milestones != null) {
            milestones.at.put("ctr run", start);
            milestones.at.put("ctr returned", start.plusNanos(returned - t0));
            milestones.at.put("port from Redis", start.plusNanos(registered - t0));
            milestones.at.put("first 200", start.plusNanos(done - t0));
        }
        remove(id);
        return (done - t0) / 1e6;
    }

    /** Only {@code ctr run -d} of a task that serves nothing (the part of a start both runtimes share). */
    private double bareRun(List<String> options, Path rootfs, List<String> command) throws Exception {
        String id = "b" + (++seq);
        List<String> cmd = new ArrayList<>(List.of("run", "-d", "--net-host"));
        cmd.addAll(options);
        cmd.addAll(List.of("--rootfs", rootfs.toString(), id));
        cmd.addAll(command);
        double ms = timed(() -> containerd.ctr(cmd.toArray(String[]::new)).ok());
        remove(id);
        return ms;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static double timed(Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** ctr run of busybox httpd (runc) → first 200 from the native CGI. */
    private double runcRun(Path rootfs) throws Exception {
        String id = "r" + (++seq);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        containerd
                .ctr(
                        "run",
                        "-d",
                        "--net-host",
                        "--rootfs",
                        rootfs.toString(),
                        id,
                        "/bin/busybox",
                        "httpd",
                        "-f",
                        "-p",
                        "127.0.0.1:" + port,
                        "-h",
                        "/www")
                .ok();
        awaitOk(port, "/cgi-bin/counter");
        double ms = (System.nanoTime() - t0) / 1e6;
        remove(id);
        return ms;
    }

    private static void awaitOk(int port, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build();
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
        Command.run(
                        List.of(
                                "clang",
                                "-O2",
                                "-static",
                                "-o",
                                cgi.resolve("counter").toString(),
                                src.toString()),
                        Duration.ofSeconds(120))
                .ok();
        Files.setPosixFilePermissions(cgi.resolve("counter"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    private static void row(String name, List<Double> ms) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n",
                name,
                ms.size(),
                median(ms),
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
