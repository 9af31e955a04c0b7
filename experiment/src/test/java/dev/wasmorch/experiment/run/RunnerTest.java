package dev.wasmorch.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.experiment.backend.Readiness;
import dev.wasmorch.experiment.catalog.CatalogReader;
import dev.wasmorch.experiment.load.Hey;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Scenario;
import dev.wasmorch.experiment.results.HeyCsv;
import dev.wasmorch.experiment.results.Layout;
import dev.wasmorch.experiment.results.ResultWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner over {@link LoopbackBackend} (real HTTP servers on 127.0.0.1, the real hey; see its
 * comment for why not containers here).
 */
class RunnerTest {

    static List<FunctionSpec> catalog;

    @TempDir
    Path out;

    final LoopbackBackend backend = new LoopbackBackend();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void read() throws Exception {
        catalog = CatalogReader.read(Path.of("..", "functions", "catalog.json")).functions();
    }

    @Test
    @Timeout(120)
    void aRunWritesEveryScenarioInTheStudysLayoutAndAccountsForEveryPod() throws Exception {
        Runner runner = runner(functions("aes", "whatlang"), EnumSet.allOf(Scenario.class), 2, Duration.ofSeconds(1));

        assertThat(runner.run()).isTrue();

        Layout layout = new Layout(out);
        for (Runtime r : Runtime.values()) {
            assertThat(Files.readAllLines(layout.instantiation(r))).hasSize(1 + 4);
            assertThat(Files.readAllLines(layout.firstInvocation("aes", r)))
                    .hasSize(1 + 2)
                    .first()
                    .isEqualTo(HeyCsv.HEADER);
            assertThat(Files.readAllLines(layout.responses(Scenario.SERIAL, "whatlang", r))
                            .size())
                    .isGreaterThan(2);
            assertThat(Files.readAllLines(layout.responses(Scenario.CONCURRENT, "aes", r))
                            .size())
                    .isGreaterThan(2);
        }
        assertThat(Files.readAllLines(layout.imageSizes())).hasSize(1 + 2);
        assertThat(Files.readString(layout.failures()))
                .contains("sizes,whatlang,,1,,size,image docker.io/wasmorch/whatlang:native not imported");
        JsonNode pods = new ObjectMapper().readTree(layout.pods().toFile()).get("items");
        assertThat(pods).hasSize(2 * 2 * 2 + 2 * 2 + 2 * 2);
        assertThat(backend.live).isEmpty();
        JsonNode meta = new ObjectMapper().readTree(layout.metadata().toFile());
        assertThat(meta.get("complete").asBoolean()).isTrue();
        assertThat(meta.at("/counts/pods").asLong()).isEqualTo(16);
        assertThat(meta.at("/counts/pods_removed").asLong()).isEqualTo(16);
        assertThat(meta.at("/configuration/repetitions").asInt()).isEqualTo(2);
        assertThat(meta.at("/machine/cores").asText()).isNotEmpty();
        assertThat(meta.at("/backend/backend").asText()).isEqualTo("loopback");
        assertThat(backend.collected).isTrue();
        String progress = console.toString(StandardCharsets.UTF_8);
        assertThat(progress)
                .contains(
                        "lab: [instantiation 1/16] aes wasm rep 1/2\nlab: [instantiation 2/16] aes container rep 1/2 · ~")
                .contains("lab: [serial 9/16] aes wasm rep 1/1 · ~")
                .contains("lab: FAILED size whatlang: image docker.io/wasmorch/whatlang:native not imported")
                .contains("run complete");
    }

    @Test
    @Timeout(120)
    void failuresAreRecordedWithTheirErrorAndRetriesAreBounded() throws Exception {
        backend.failing = s -> s.function().name().equals("matmul") && s.runtime() == Runtime.CONTAINER;
        backend.answering500 = s -> s.function().name().equals("aes") && s.runtime() == Runtime.WASM;
        Runner runner = runner(
                functions("aes", "matmul"),
                EnumSet.of(Scenario.INSTANTIATION, Scenario.SERIAL),
                1,
                Duration.ofSeconds(1));

        assertThat(runner.run()).isTrue();

        Layout layout = new Layout(out);
        List<String> failures = Files.readAllLines(layout.failures());
        assertThat(failures.stream().filter(l -> l.contains("container exited with 1 before ready")))
                .hasSize(2 * 3) // two trials (instantiation, serial), three attempts each, then given up
                .anySatisfy(l -> assertThat(l)
                        .startsWith("instantiation,matmul,container,1,matmul-ctr-i-1-a3,deploy (attempt 3),"));
        assertThat(failures)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("instantiation,aes,wasm,1,aes-wasm-i-1,first-invocation,status [500],"))
                .anySatisfy(l -> assertThat(l)
                        .matches("serial,aes,wasm,1,aes-wasm-s-1,load,(\\d+) of \\1 responses not 2xx,.*"));
        // the 500 is still in the study's file: hey's row, read by the analyzer as a non-2xx answer
        assertThat(Files.readAllLines(layout.firstInvocation("aes", Runtime.WASM))
                        .get(1))
                .contains(",500,");
        assertThat(Files.exists(layout.instantiation(Runtime.CONTAINER))).isTrue();
        assertThat(Files.readAllLines(layout.instantiation(Runtime.CONTAINER))).hasSize(1 + 1); // aes only
        JsonNode pods = new ObjectMapper().readTree(layout.pods().toFile()).get("items");
        assertThat(pods).hasSize(2 * (1 + 1 + 1 + 3)); // per scenario: aes twice, matmul wasm once, container 3 tries
        assertThat(backend.live).isEmpty();
        JsonNode meta = new ObjectMapper().readTree(layout.metadata().toFile());
        assertThat(meta.at("/counts/pods_failed").asLong()).isEqualTo(6);
        assertThat(meta.at("/counts/failures").asLong()).isEqualTo(failures.size() - 1);
    }

    @Test
    @Timeout(60)
    void stopEndsHeyRemovesEveryPodAndMarksTheResultsIncomplete() throws Exception {
        Runner runner = runner(functions("aes", "matmul"), EnumSet.of(Scenario.SERIAL), 1, Duration.ofSeconds(40));
        Thread main = running(runner);
        assertThat(backend.firstDeploy.await(20, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1500); // hey is running against the first pod

        long t0 = System.nanoTime();
        runner.stop("interrupted (test)");
        main.join(15_000);

        assertThat(main.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(backend.live).isEmpty();
        assertThat(backend.made).hasSize(1);
        Layout layout = new Layout(out);
        JsonNode meta = new ObjectMapper().readTree(layout.metadata().toFile());
        assertThat(meta.get("complete").asBoolean()).isFalse();
        assertThat(meta.get("interruption").asText()).isEqualTo("interrupted (test)");
        assertThat(meta.get("finished").asText()).isNotEmpty();
        assertThat(new ObjectMapper().readTree(layout.pods().toFile()).get("items"))
                .hasSize(1);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("run stopped (interrupted (test))");
    }

    /**
     * A deploy in flight when the stop came: its pod is registered in the backend, which cannot remove
     * it, but its deploy has not returned, so the runner never recorded it. The end of the run records
     * it itself (pods.json, failures.csv), and also what the backend's sweep left, and closes the results.
     */
    @Test
    @Timeout(60)
    void aPodThatRemoveAllCouldNotRemoveButTheRunnerNeverRecordedIsAccountedFor() throws Exception {
        backend.hold = new java.util.concurrent.CountDownLatch(1);
        backend.alsoLeft.put(new PodRef("wasmorch-lab", "(run r1)", ""), "objects of aes still there 5 s later");
        Runner runner = runner(functions("aes"), EnumSet.of(Scenario.INSTANTIATION), 1, Duration.ofSeconds(1));
        Thread main = running(runner);
        assertThat(backend.held.await(20, TimeUnit.SECONDS)).isTrue();

        runner.stop("interrupted (test)");
        backend.hold.countDown(); // the deploy returns only now, after the results were closed
        main.join(15_000);

        assertThat(main.isAlive()).isFalse();
        Layout layout = new Layout(out);
        PodRef held = backend.heldPod;
        JsonNode pods = new ObjectMapper().readTree(layout.pods().toFile()).get("items");
        assertThat(pods).hasSize(1);
        assertThat(pods.get(0).at("/metadata/name").asText()).isEqualTo(held.name());
        assertThat(pods.get(0).at("/metadata/uid").asText()).isEqualTo(held.uid());
        List<String> failures = Files.readAllLines(layout.failures());
        assertThat(failures)
                .hasSize(1 + 2)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("instantiation,aes,wasm,0," + held.name() + ",remove,")
                        .contains(Runner.STOPPED_IN_FLIGHT)
                        .contains("DEADLINE_EXCEEDED"))
                .anySatisfy(l -> assertThat(l)
                        .startsWith(",,,0,(run r1),remove,\"not a pod the runner recorded")
                        .contains("objects of aes still there"));
        JsonNode meta = new ObjectMapper().readTree(layout.metadata().toFile());
        assertThat(meta.get("complete").asBoolean()).isFalse();
        assertThat(meta.at("/counts/pods").asLong()).isEqualTo(1);
        assertThat(meta.at("/counts/pods_failed").asLong()).isEqualTo(1);
        assertThat(meta.at("/counts/failures").asLong()).isEqualTo(2);
    }

    /** The run on its own thread, as the CLI's main thread runs it while the hook may stop it. */
    private static Thread running(Runner runner) {
        Thread main = new Thread(() -> {
            try {
                runner.run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        main.start();
        return main;
    }

    private Runner runner(List<FunctionSpec> functions, Set<Scenario> scenarios, int reps, Duration d)
            throws Exception {
        RunConfig config = new RunConfig(
                "loopback", scenarios, reps, d, d, new Readiness(Duration.ofMillis(5), Duration.ofSeconds(5), 3));
        return new Runner(
                functions,
                config,
                backend,
                new Hey("hey"),
                new ResultWriter(new Layout(out)),
                new PrintStream(console, true, StandardCharsets.UTF_8),
                Map.of(Runtime.WASM, "wasmorch", Runtime.CONTAINER, "runc"),
                new RunState(MachineFacts.runner("hey"), MachineFacts.machine(), Instant.now()));
    }

    private static List<FunctionSpec> functions(String... names) {
        return catalog.stream().filter(f -> List.of(names).contains(f.name())).toList();
    }
}
