package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.task.WorkloadException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-app workers and queue limit, over real HTTP: requests that loop until the request time limit
 * (60 s here) hold workers; other requests wait at most the queue limit and are then answered 503.
 * Bounds are generous (a loaded CI machine); what matters is that answers come long before a looping
 * request could free a worker, and that those loops are still running when they do.
 */
class AppFairnessTest {

    /** Far below the request time limit: an answer within it did not wait for a worker to free up. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    AppHarness harness;
    ExecutorService clients;

    @BeforeEach
    void setUp() {
        harness = new AppHarness(16L << 20, Duration.ofSeconds(60));
        clients = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        clients.shutdownNow();
        harness.close();
    }

    @Test
    void aRequestBehindBusyWorkersIsAnswered503AtTheQueueLimitNotWhenAWorkerFrees() throws Exception {
        try (RunningApp app = start("c-queue", 2, "0.5")) {
            List<Future<Integer>> loops = holdWorkers(app, 2);

            long t0 = System.nanoTime();
            HttpResponse<String> plain = harness.get(app, "/count");
            Duration waited = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(plain.statusCode()).isEqualTo(503);
            assertThat(plain.headers().firstValue("Retry-After")).contains("1");
            assertThat(plain.body())
                    .isEqualTo("Service Unavailable: no worker free within the queue limit of 500 ms "
                            + "(2 workers, all busy)\n");
            assertThat(waited).as("it waited for a worker first").isGreaterThanOrEqualTo(Duration.ofMillis(500));
            assertThat(waited).isLessThan(PROMPTLY);
            assertThat(loops).as("the looping requests still hold the workers").noneMatch(Future::isDone);
            assertThat(app.stats().queueRefusals()).isEqualTo(1);
            assertThat(harness.stderrText())
                    .contains("wasmorch-shim: 1 request(s) answered 503 since the last report (1 in total; "
                            + "reported at most every 10 s): no worker free within the queue limit of 500 ms "
                            + "(2 workers, all busy)\n");
        }
    }

    @Test
    void requestsThatGetAWorkerWithinTheQueueLimitAreServed() throws Exception {
        try (RunningApp app = start("c-served", 2, "30")) {
            List<Future<HttpResponse<String>>> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                requests.add(clients.submit(() -> harness.get(app, "/count")));
            }
            for (Future<HttpResponse<String>> r : requests) {
                HttpResponse<String> response = r.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("count=1\n");
            }
            assertThat(app.stats().queueRefusals()).isZero();
            assertThat(harness.stderrText()).doesNotContain("answered 503");
        }
    }

    @Test
    void aSlowRouteCannotStarveAFastOnePastTheQueueLimit() throws Exception {
        try (RunningApp app = start("c-starve", 2, "1")) {
            // twice as many looping requests as workers: two run, two wait and are refused
            List<Future<Integer>> loops = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                loops.add(clients.submit(() -> harness.get(app, "/loop").statusCode()));
            }
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> fast = harness.get(app, "/count");
                assertThat(Duration.ofNanos(System.nanoTime() - t0))
                        .as("fast request %d is answered without waiting for a looping one", i)
                        .isLessThan(PROMPTLY);
                assertThat(fast.statusCode()).isIn(200, 503);
            }
            long deadline = System.nanoTime() + PROMPTLY.toNanos();
            while (loops.stream().filter(Future::isDone).count() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<Future<Integer>> refused =
                    loops.stream().filter(Future::isDone).toList();
            assertThat(refused).as("the looping requests beyond the workers").hasSize(2);
            for (Future<Integer> f : refused) {
                assertThat(f.get()).isEqualTo(503);
            }
            long refusals = app.stats().queueRefusals();
            assertThat(refusals).isGreaterThanOrEqualTo(2);
            long reportLines = harness.stderrText()
                    .lines()
                    .filter(l -> l.contains("answered 503 since the last report"))
                    .count();
            assertThat(reportLines)
                    .as("refusals are reported per interval, not one line each")
                    .isBetween(1L, 2L);
        }
    }

    @Test
    void theConfiguredWorkerCountTakesEffectForConcurrencyAndMemory() throws Exception {
        try (RunningApp one = start("c-one", 1, "0.5")) {
            List<Future<Integer>> loops = holdWorkers(one, 1);
            assertThat(harness.get(one, "/count").statusCode())
                    .as("one worker, held")
                    .isEqualTo(503);
            assertThat(loops).noneMatch(Future::isDone);
            assertThat(one.stats().memoryLimitBytes()).isEqualTo(16L << 20);
        }
        try (RunningApp three = start("c-three", 3, "0.5")) {
            List<Future<Integer>> loops = holdWorkers(three, 2);
            HttpResponse<String> fast = harness.get(three, "/count");
            assertThat(fast.statusCode()).as("three workers, two held").isEqualTo(200);
            assertThat(fast.body()).isEqualTo("count=1\n");
            assertThat(loops).noneMatch(Future::isDone);
            assertThat(three.stats().memoryLimitBytes()).isEqualTo(3 * (16L << 20));
            // a container limit is shared by the app's three workers
            three.limitMemory(8L << 20);
            long perInstance = (8L << 20) / 3 / 65536 * 65536;
            assertThat(three.stats().memoryLimitBytes()).isEqualTo(3 * perInstance);
        }
    }

    @Test
    void badSettingsRefuseTheAppNamingTheKey() throws Exception {
        TestApps.app(dir, "/count=counter");
        for (var bad : List.of(
                Map.of("WASMORCH_WORKERS", "0"),
                Map.of("WASMORCH_WORKERS", "257"),
                Map.of("WASMORCH_WORKERS", "four"),
                Map.of("WASMORCH_QUEUE_TIMEOUT", "0"),
                Map.of("WASMORCH_QUEUE_TIMEOUT", "PT11M"),
                Map.of("WASMORCH_QUEUE_TIMEOUT", "soon"))) {
            String key = bad.keySet().iterator().next();
            assertThatThrownBy(() -> harness.start("c-bad", dir, bad))
                    .as("%s", bad)
                    .isInstanceOf(WorkloadException.class)
                    .hasMessageStartingWith("container c-bad: environment variable " + key + ": ")
                    .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("invalid_setting"));
        }
        assertThat(harness.lifecycle).as("no app started").isEmpty();
    }

    private RunningApp start(String id, int workers, String queueTimeout) throws Exception {
        Path appDir = java.nio.file.Files.createDirectories(dir.resolve(id));
        return harness.start(
                id,
                TestApps.app(appDir, "/loop=spin", "/count=counter"),
                Map.of("WASMORCH_WORKERS", Integer.toString(workers), "WASMORCH_QUEUE_TIMEOUT", queueTimeout));
    }

    /**
     * Starts {@code n} looping requests one after another, each once the previous ones hold an instance
     * (so a worker): the instances' memory, constant for the loop, grows by one instance's share.
     */
    private List<Future<Integer>> holdWorkers(RunningApp app, int n) throws InterruptedException {
        List<Future<Integer>> loops = new ArrayList<>();
        long oneInstance = 0;
        for (int held = 1; held <= n; held++) {
            loops.add(clients.submit(() -> harness.get(app, "/loop").statusCode()));
            long want = Math.max(1, (held - 1) * oneInstance + 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (app.stats().memoryBytes() < want && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(app.stats().memoryBytes())
                    .as("%d looping request(s) hold an instance each", held)
                    .isGreaterThanOrEqualTo(want);
            if (held == 1) {
                oneInstance = app.stats().memoryBytes();
            }
        }
        return loops;
    }
}
