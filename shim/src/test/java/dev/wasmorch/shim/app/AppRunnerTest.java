package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.task.WorkloadException;
import dev.wasmorch.shim.task.WorkloadStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppRunnerTest {

    @TempDir
    Path dir;

    AppHarness harness;

    @BeforeEach
    void setUp() {
        // Generous: this machine may be loaded; only timeLimitInterruptsOnlyTheRunawayRequest uses a short limit.
        harness = new AppHarness(16L << 20, Duration.ofSeconds(60));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void servesHelloAndLogsLifecycleEvents() throws Exception {
        try (RunningApp app = harness.start("c-hello", TestApps.app(dir, "/hello=hello"))) {
            var response = harness.get(app, "/hello");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from wasmorch\n");
            assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
            harness.get(app, "/hello");
            var head = harness.http.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + app.port() + "/hello"))
                            .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(harness.stdoutText())
                    .isEqualTo("wasmorch-shim: app test listening on 127.0.0.1:" + app.port() + " (routes /hello)\n");

            List<String> events = harness.lifecycle.stream()
                    .map(l -> l.replaceAll(".* event=(\\S+) .*", "$1"))
                    .toList();
            assertThat(events).containsExactly("ModuleCompiled", "Listening", "FirstRequest");
            assertThat(harness.lifecycle.get(1))
                    .startsWith("WASMORCH-LIFECYCLE/1 ts=")
                    .contains(
                            " ns=default pod=pod-c-hello node=node-test host=node-test component=wasmorch-shim container=app cid=c-hello ")
                    .endsWith(" msg=\"port=" + app.port() + "\"");
        }
    }

    @Test
    void everyRequestGetsAFreshInstance() throws Exception {
        try (RunningApp app = harness.start("c-counter", TestApps.app(dir, "/count=counter"))) {
            for (int i = 0; i < 5; i++) {
                assertThat(harness.get(app, "/count").body()).isEqualTo("count=1\n");
            }
        }
    }

    @Test
    void aSecondAppWithTheSameModuleStartsFromTheCompiledCode() throws Exception {
        try (RunningApp first =
                harness.start("c-first", TestApps.app(Files.createDirectories(dir.resolve("a")), "/count=counter"))) {
            assertThat(harness.get(first, "/count").body()).isEqualTo("count=1\n");
        }
        try (RunningApp second = harness.start(
                "c-second",
                TestApps.app(Files.createDirectories(dir.resolve("b")), "/count=counter", "/hello=hello"))) {
            assertThat(harness.get(second, "/count").body()).isEqualTo("count=1\n");
            assertThat(harness.get(second, "/count").body()).isEqualTo("count=1\n");
            assertThat(harness.get(second, "/hello").body()).isEqualTo("hello from wasmorch\n");
        }
        List<String> compiled = harness.lifecycle.stream()
                .filter(l -> l.contains("event=ModuleCompiled"))
                .toList();
        assertThat(compiled).hasSize(2);
        assertThat(compiled.get(0))
                .contains("cid=c-first")
                .contains("1 module(s) in ")
                .contains(", 0 already compiled");
        assertThat(compiled.get(1))
                .contains("cid=c-second")
                .contains("2 module(s) in ")
                .contains(", 1 already compiled");
    }

    @Test
    void warmUpRunsItsInternalAppWithoutRegisteringOrLoggingIt() throws Exception {
        try (var redis = new redis.clients.jedis.JedisPooled(java.net.URI.create(AppHarness.REDIS_URL))) {
            harness.runner.warmUp(3);
            assertThat(redis.exists("wasmorch:port:cid:wasmorch-warm-up")).isFalse();
        }
        assertThat(harness.lifecycle).isEmpty();
        assertThat(harness.stdoutText()).isEmpty();
        assertThat(harness.stderrText()).isEmpty();
        // and a real app starts after it as before
        try (RunningApp app = harness.start("c-after-warm-up", TestApps.app(dir, "/count=counter"))) {
            assertThat(harness.get(app, "/count").body()).isEqualTo("count=1\n");
        }
    }

    @Test
    void taskWarmUpRunsAPodsTaskCallsWithoutRegisteringLoggingOrStoppingTheBackgroundRounds() throws Exception {
        try (var redis = new redis.clients.jedis.JedisPooled(java.net.URI.create(AppHarness.REDIS_URL))) {
            harness.runner.warmUpTasks();
            assertThat(redis.exists("wasmorch:port:cid:wasmorch-warm-up-app")).isFalse();
            assertThat(redis.exists("wasmorch:port:pod:wasmorch/warm-up/warm-up"))
                    .isFalse();
        }
        assertThat(harness.lifecycle).isEmpty();
        // its tasks are the daemon's own: they are no pod arriving
        assertThat(harness.runner.warmUpUntilATaskArrives(2)).isEqualTo(2);
    }

    @Test
    void backgroundWarmUpRunsItsRoundsUntilATaskArrivesAndNoneAfter() throws Exception {
        assertThat(harness.runner.warmUpUntilATaskArrives(2)).isEqualTo(2);
        harness.runner.taskArriving();
        assertThat(harness.runner.warmUpUntilATaskArrives(50)).isZero();
        // a task arriving while the rounds run, from another thread: they stop
        try (AppHarness other = new AppHarness(16L << 20, Duration.ofSeconds(60))) {
            CompletableFuture<Integer> rounds =
                    CompletableFuture.supplyAsync(() -> other.runner.warmUpUntilATaskArrives(100_000));
            Thread.sleep(200);
            other.runner.taskArriving();
            assertThat(rounds.get(60, TimeUnit.SECONDS)).isLessThan(100_000);
            // and apps start as before
            try (RunningApp app = other.start("c-after", TestApps.app(dir, "/count=counter"))) {
                assertThat(other.get(app, "/count").body()).isEqualTo("count=1\n");
            }
        }
    }

    @Test
    void compilerWarmUpCompilesTheBuiltModuleUntilATaskArrives() throws Exception {
        try (AppHarness other = new AppHarness(16L << 20, Duration.ofSeconds(60))) {
            assertThat(other.runner.warmUpCompilerUntilATaskArrives(2)).isEqualTo(2);
            CompletableFuture<Integer> rounds =
                    CompletableFuture.supplyAsync(() -> other.runner.warmUpCompilerUntilATaskArrives(100_000));
            Thread.sleep(200);
            other.runner.taskArriving();
            assertThat(rounds.get(60, TimeUnit.SECONDS)).isLessThan(100_000);
            assertThat(other.runner.warmUpCompilerUntilATaskArrives(5)).isZero();
        }
        // the module is a real C program's: far more than the internal app's few instructions
        try (var in = WarmUp.class.getResourceAsStream(WarmUp.COMPILER_MODULE)) {
            var module = com.dylibso.chicory.wasm.Parser.parse(in.readAllBytes());
            assertThat(module.functionSection().functionCount()).isGreaterThan(50);
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        try (RunningApp app = harness.start("c-404", TestApps.app(dir, "/hello=hello"))) {
            assertThat(harness.get(app, "/nope").statusCode()).isEqualTo(404);
            assertThat(harness.get(app, "/hello/deeper").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void passesTheCgiRequestAndBody() throws Exception {
        try (RunningApp app = harness.start("c-echo", TestApps.app(dir, "/echo/...=echo"))) {
            var response = harness.post(app, "/echo/some/path%20x?a=1&b=2", "the body", "text/x-test");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Echo")).contains("yes");
            assertThat(response.body().lines().toList())
                    .contains(
                            "ARG0=/echo/some/path%20x",
                            "ARG1=a=1",
                            "ARG2=b=2",
                            "REQUEST_METHOD=POST",
                            "PATH_INFO=/some/path x",
                            "X_RAW_PATH_INFO=/some/path%20x",
                            "SCRIPT_NAME=/echo",
                            "QUERY_STRING=a=1&b=2",
                            "CONTENT_LENGTH=8",
                            "CONTENT_TYPE=text/x-test",
                            "X_MATCHED_ROUTE=/echo/...",
                            "SERVER_NAME=127.0.0.1",
                            "SERVER_PORT=" + app.port(),
                            "GATEWAY_INTERFACE=CGI/1.1",
                            "HTTP_X_CUSTOM_HEADER=custom value",
                            "REMOTE_ADDR=127.0.0.1",
                            "X_FULL_URL=http://127.0.0.1:" + app.port() + "/echo/some/path%20x?a=1&b=2",
                            "FROM_CONTAINER=yes",
                            "BODY=the body");
        }
    }

    @Test
    void honoursStatusAndLocationHeaders() throws Exception {
        try (RunningApp app = harness.start("c-status", TestApps.app(dir, "/...=echo"))) {
            assertThat(harness.get(app, "/x?status").statusCode()).isEqualTo(418);
            var redirect = harness.get(app, "/x?redirect");
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).contains("/elsewhere");
        }
    }

    @Test
    void memoryLimitFailsOnlyThatRequest() throws Exception {
        try (RunningApp app = harness.start("c-mem", TestApps.app(dir, "/hog=memhog", "/count=counter"))) {
            ExecutorService clients = Executors.newFixedThreadPool(2);
            try {
                Future<java.net.http.HttpResponse<String>> hog = clients.submit(() -> harness.get(app, "/hog"));
                for (int i = 0; i < 3; i++) {
                    assertThat(clients.submit(() -> harness.get(app, "/count").body())
                                    .get())
                            .isEqualTo("count=1\n");
                }
                assertThat(hog.get().statusCode()).isEqualTo(500);
                assertThat(hog.get().body()).contains("Memory limit exceeded");
            } finally {
                clients.shutdownNow();
            }
            assertThat(harness.stderrText())
                    .contains("memhog: malloc failed after")
                    .contains("wasmorch-shim: component memhog: request failed")
                    .contains("of 256 pages")
                    .contains("memory limit reached");
            assertThat(harness.get(app, "/count").body()).isEqualTo("count=1\n");
        }
    }

    @Test
    void statsCountCpuAndMemoryLimitHitsAndAMemoryLimitUpdateSetsThePerInstanceCap() throws Exception {
        try (RunningApp app = harness.start("c-stats", TestApps.app(dir, "/hog=memhog", "/count=counter"))) {
            int workers = AppConcurrency.DEFAULT.workers();
            WorkloadStats idle = app.stats();
            assertThat(idle.cpuNanos()).isZero();
            assertThat(idle.memoryBytes()).isZero();
            // an idle app holds only its two modules' compiled code
            long code = codeBytes("memhog") + codeBytes("counter");
            assertThat(code).isPositive();
            assertThat(idle.codeBytes()).isEqualTo(code);
            assertThat(idle.usageBytes()).isEqualTo(code);
            assertThat(idle.memoryLimitBytes()).isEqualTo(workers * (16L << 20)); // the harness' 16 MiB cap
            assertThat(idle.usageLimitBytes()).isEqualTo(workers * (16L << 20) + code);
            for (int i = 0; i < 3; i++) {
                harness.get(app, "/count");
            }
            assertThat(harness.get(app, "/hog").statusCode()).isEqualTo(500);
            WorkloadStats used = app.stats();
            assertThat(used.cpuNanos()).isPositive();
            assertThat(used.memoryBytes())
                    .as("no request runs: no instance holds memory")
                    .isZero();
            assertThat(used.memoryLimitHits()).isEqualTo(1);

            // a container limit of 8 MiB: each concurrent request may use 8 MiB / workers
            app.limitMemory(8L << 20);
            long perInstance = (8L << 20) / workers / 65536 * 65536;
            assertThat(app.stats().memoryLimitBytes()).isEqualTo(workers * perInstance);
            assertThat(harness.get(app, "/hog").statusCode()).isEqualTo(500);
            assertThat(harness.stderrText()).contains("of " + perInstance / 65536 + " pages");
            assertThat(harness.get(app, "/count").body()).isEqualTo("count=1\n");
            // a limit no module fits in is refused and changes nothing
            assertThatThrownBy(() -> app.limitMemory(64 * 1024))
                    .isInstanceOf(WorkloadException.class)
                    .hasMessageContaining("above the memory limit")
                    .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("memory_limit"));
            assertThat(app.stats().memoryLimitBytes()).isEqualTo(workers * perInstance);
            // no limit (0): back to the daemon's cap; never above it
            app.limitMemory(0);
            assertThat(app.stats().memoryLimitBytes()).isEqualTo(workers * (16L << 20));
            app.limitMemory(1L << 40);
            assertThat(app.stats().memoryLimitBytes()).isEqualTo(workers * (16L << 20));
        }
    }

    @Test
    void timeLimitInterruptsOnlyTheRunawayRequest() throws Exception {
        harness.close();
        harness = new AppHarness(16L << 20, Duration.ofSeconds(2));
        try (RunningApp app = harness.start("c-loop", TestApps.app(dir, "/loop=spin", "/count=counter"))) {
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> loops = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    loops.add(clients.submit(() -> harness.get(app, "/loop").statusCode()));
                }
                // While the runaway requests spin, others are served normally.
                Callable<String> count = () -> harness.get(app, "/count").body();
                for (int i = 0; i < 3; i++) {
                    assertThat(clients.submit(count).get()).isEqualTo("count=1\n");
                }
                for (Future<Integer> f : loops) {
                    assertThat(f.get()).isEqualTo(504);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(harness.stderrText()).contains("request time limit of 2000 ms exceeded");
            assertThat(harness.get(app, "/count").body()).isEqualTo("count=1\n");
        }
    }

    @Test
    void requestsInFlightAreCountedSoAnIdleAppStopsWithoutWaiting() throws Exception {
        harness.close();
        harness = new AppHarness(16L << 20, Duration.ofSeconds(2));
        try (RunningApp app = harness.start("c-busy", TestApps.app(dir, "/loop=spin", "/count=counter"))) {
            AppInstance instance = (AppInstance) app;
            assertThat(harness.get(app, "/count").statusCode()).isEqualTo(200);
            // the client may see the answer before the handler's thread has left it
            awaitIdle(instance);
            ExecutorService client = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> loop =
                        client.submit(() -> harness.get(app, "/loop").statusCode());
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (instance.inFlight() == 0 && !loop.isDone() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(instance.inFlight())
                        .as("the spinning request is being served")
                        .isEqualTo(1);
                // the request is counted on entry, its instance's memory once it is instantiated
                while (app.stats().memoryBytes() == 0 && !loop.isDone() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                WorkloadStats busy = app.stats();
                assertThat(busy.memoryBytes())
                        .as("its instance's memory counts while it runs")
                        .isPositive();
                assertThat(busy.usageBytes())
                        .as("the code and the running instance's memory")
                        .isEqualTo(codeBytes("spin") + codeBytes("counter") + busy.memoryBytes());
                assertThat(loop.get()).isEqualTo(504);
            } finally {
                client.shutdownNow();
            }
            awaitIdle(instance);
        }
    }

    /** The compiled code of a test app's module, compiled on its own. */
    private static long codeBytes(String module) throws WorkloadException {
        return WasmComponent.compile(module, TestApps.module(module), 16L << 20).codeBytes();
    }

    private static void awaitIdle(AppInstance instance) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (instance.inFlight() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(instance.inFlight()).isZero();
    }

    @Test
    void noFileSystemWithoutGrant() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "top secret\n");
        try (RunningApp app = harness.start("c-nofs", TestApps.app(dir, "/read=files"))) {
            assertThat(harness.get(app, "/read?/secret.txt").body()).startsWith("denied:");
            assertThat(harness.get(app, "/read?/etc/passwd").body()).startsWith("denied:");
        }
    }

    @Test
    void grantedFilesAreReadableAndNothingElse() throws Exception {
        Files.createDirectories(dir.resolve("static"));
        Files.writeString(dir.resolve("static/greeting.txt"), "hi from a file\n");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/value.txt"), "42\n");
        Files.writeString(dir.resolve("secret.txt"), "top secret\n");
        TestApps.app(dir, "/read=files");
        Files.writeString(
                dir.resolve("spin.toml"),
                Files.readString(dir.resolve("spin.toml"))
                        + "files = [\"static/*.txt\", { source = \"data\", destination = \"/data\" }]\n"
                        + "allowed_outbound_hosts = [\"https://example.com\"]\n");
        try (RunningApp app = harness.start("c-fs", dir)) {
            assertThat(harness.get(app, "/read?/static/greeting.txt").body()).isEqualTo("hi from a file\n");
            assertThat(harness.get(app, "/read?/data/value.txt").body()).isEqualTo("42\n");
            assertThat(harness.get(app, "/read?/secret.txt").body()).startsWith("denied:");
            assertThat(harness.get(app, "/read?/data/../../secret.txt").body()).startsWith("denied:");
            assertThat(harness.get(app, "/read?/etc/passwd").body()).startsWith("denied:");
            assertThat(harness.stdoutText())
                    .contains("wasmorch-shim: component files may send HTTP requests to [https://example.com]");
        }
    }

    @Test
    void outboundHttpWithoutAGrantLinksButIsRefused() throws Exception {
        try (RunningApp app = harness.start("c-net", TestApps.app(dir, "/net=outbound"))) {
            var response = harness.get(app, "/net?http://127.0.0.1:9/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("req=7 status=0\n");
            assertThat(harness.stderrText())
                    .contains(
                            "component outbound: outbound HTTP to http://127.0.0.1:9 refused: not in allowed_http_hosts");
        }
    }

    @Test
    void brokenModuleIsRefusedWithItsPath() throws Exception {
        TestApps.app(dir, "/hello=hello");
        Files.move(
                TestApps.brokenModule(dir),
                dir.resolve("hello.wasm"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> harness.start("c-broken", dir))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining(dir.resolve("hello.wasm") + " (component hello): not a valid WebAssembly module")
                .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("broken_module"));
    }

    @Test
    void missingManifestIsRefused() {
        assertThatThrownBy(() -> harness.start("c-empty", dir))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("spin.toml: no Spin manifest")
                .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("missing_manifest"));
    }
}
