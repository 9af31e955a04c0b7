package dev.wasmorch.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Both images of every function import into a containerd of the test's own (root, state and
 * socket in a temp dir, the CRI plugin off; never the system's) with {@code ctr image import}, and
 * every native image runs under runc as user 65532 and answers its catalog request. Needs root and
 * Debian's containerd and runc (bin/setup-test-env; CI runs as root); skips visibly otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageImportTest {

    private static final Catalog CATALOG = Catalog.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private Process containerd;
    private BackingServices services;

    @BeforeAll
    void startContainerd() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "containerd needs root; skipped");
        assumeTrue(onPath("containerd") && onPath("ctr") && onPath("runc"), "containerd, ctr or runc not installed");
        dir = Files.createTempDirectory("wasmorch-fn-containerd-");
        Files.writeString(dir.resolve("config.toml"), """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
                  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
                  "io.containerd.snapshotter.v1.aufs"]
                [grpc]
                  address = "%1$s/c.sock"
                [ttrpc]
                  address = "%1$s/c.sock.ttrpc"
                [metrics]
                  address = ""
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"
                """.formatted(dir));
        containerd = new ProcessBuilder(
                        "containerd", "--config", dir.resolve("config.toml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ctr("version").exit() != 0) {
            assertThat(containerd.isAlive() && System.nanoTime() < deadline)
                    .as("containerd did not start: %s", Files.readString(dir.resolve("containerd.log")))
                    .isTrue();
            Thread.sleep(100);
        }
        services = BackingServices.start();
    }

    @AfterAll
    void stopContainerd() throws Exception {
        if (services != null) {
            services.close();
        }
        if (containerd != null) {
            containerd.destroy();
            if (!containerd.waitFor(20, TimeUnit.SECONDS)) {
                containerd.destroyForcibly().waitFor();
            }
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Result(int exit, String output) {}

    private Result ctr(String... args) throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(List.of("ctr", "-a", dir.resolve("c.sock").toString(), "-n", "k8s.io"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + "\n(timed out)");
        }
        return new Result(p.exitValue(), out);
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    @Test
    void everyImageImportsAndEveryNativeImageServesUnderRunc() throws Exception {
        for (Catalog.Function f : CATALOG.functions()) {
            for (String kind : List.of("wasm", "native")) {
                Result r = ctr(
                        "image",
                        "import",
                        Catalog.OUT.resolve(f.name()).resolve(kind + ".tar").toString());
                assertThat(r.exit()).as(r.output()).isZero();
            }
        }
        String images = ctr("images", "ls", "-q").output();
        for (Catalog.Function f : CATALOG.functions()) {
            assertThat(images)
                    .contains("docker.io/wasmorch/" + f.name() + ":wasm", "docker.io/wasmorch/" + f.name() + ":native");
            servesUnderRunc(f);
        }
    }

    private void servesUnderRunc(Catalog.Function f) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String id = "fn-" + f.name();
        List<String> run =
                new ArrayList<>(List.of("run", "-d", "--net-host", "--env", "HOST=127.0.0.1", "--env", "PORT=" + port));
        services.environment().forEach((k, v) -> run.addAll(List.of("--env", k + "=" + v)));
        run.addAll(List.of("docker.io/wasmorch/" + f.name() + ":native", id));
        Result started = ctr(run.toArray(String[]::new));
        assertThat(started.exit()).as(started.output()).isZero();
        try {
            HttpResponse<String> resp = request(f, port);
            assertThat(resp.statusCode()).as(f.name() + ": " + resp.body()).isEqualTo(200);
            if (f.name().equals("user-manager")) {
                assertThat(JSON.readTree(resp.body()).at("/created/email").asText())
                        .isEqualTo("ada@example.org");
            } else {
                assertThat(resp.body()).as(f.name()).isEqualTo(NativeFunctionsTest.ANSWERS.get(f.name()));
            }
            String pid = ctr("task", "ls")
                    .output()
                    .lines()
                    .filter(l -> l.startsWith(id + " "))
                    .map(l -> l.trim().split("\\s+")[1])
                    .findFirst()
                    .orElseThrow();
            assertThat(Files.readAllLines(Path.of("/proc", pid, "status")))
                    .as("the server runs as the image's user")
                    .anyMatch(l -> l.matches("Uid:\\s+65532\\s+65532\\s+65532\\s+65532"));
        } finally {
            ctr("task", "kill", id);
            for (int i = 0; i < 100 && ctr("task", "delete", id).exit() != 0; i++) {
                Thread.sleep(100);
            }
            ctr("container", "delete", id);
        }
    }

    /** The catalog request, retried while the container's server is still starting (up to 10 s). */
    private static HttpResponse<String> request(Catalog.Function f, int port) throws Exception {
        Catalog.Request r = f.request();
        HttpRequest req = HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + r.path() + (r.query().isEmpty() ? "" : "?" + r.query())))
                .timeout(Duration.ofSeconds(30))
                .method(r.method(), HttpRequest.BodyPublishers.ofString(r.body()))
                .build();
        HttpClient http = HttpClient.newHttpClient();
        for (int attempt = 0; ; attempt++) {
            try {
                return http.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
