package dev.wasmorch.shim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.shim.e2e.FirstPodBench.Case;
import dev.wasmorch.shim.e2e.FirstPodBench.Round;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * The first-pod benchmark on its smallest run (one round per case, a 2 s window), so that it cannot
 * rot: the three ways of bringing the daemon up work through CRI with the packaged shim, the daemon maps
 * its class-data sharing archive, and no pod is left. Timings are not asserted (docs/benchmarks.md).
 * An IT: it needs the package (target/lib and the archive).
 */
class FirstPodBenchIT {

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = FirstPodBench.node();

    @Test
    void everyCaseStartsItsPodsOnAFreshDaemonThatMapsTheArchive() throws Exception {
        Map<Case, List<Round>> results;
        try (JedisPooled redis = CriStartBench.redis()) {
            CriStartBench pods = new CriStartBench(CONTAINERD, redis, "prime-numbers", "n=1");
            pods.importImages(Path.of(System.getProperty("wasmorch.functions.images", "target/functions")));
            results = new FirstPodBench(CONTAINERD, pods, Duration.ofSeconds(2)).run(1, System.err);
        }

        assertThat(results).containsOnlyKeys(Case.values());
        Round ahead = results.get(Case.AHEAD).get(0);
        Round idle = results.get(Case.AHEAD_IDLE).get(0);
        Round stored = results.get(Case.AHEAD_IDLE_STORED).get(0);
        Round byFirstPod = results.get(Case.BY_FIRST_POD).get(0);
        assertThat(ahead.daemonUp()).isPositive();
        assertThat(idle.daemonUp()).isPositive();
        assertThat(stored.daemonUp()).isPositive();
        assertThat(byFirstPod.daemonUp()).isNaN();
        // the stored case's daemon compiled the module in its warm-up, the new-module cases' none
        assertThat(CONTAINERD.shimLog())
                .contains("done: 1 stored module(s) compiled")
                .contains("done: 0 stored module(s) compiled");
        for (Round r : List.of(ahead, idle, stored, byFirstPod)) {
            assertThat(r.archived()).as("the daemon maps lib/wasmorch-shim.jsa").isTrue();
            assertThat(r.first().total()).isPositive();
            assertThat(r.window())
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.first200()).isPositive());
        }

        ByteArrayOutputStream table = new ByteArrayOutputStream();
        FirstPodBench.print(results, Duration.ofSeconds(2), new PrintStream(table, true, StandardCharsets.UTF_8));
        assertThat(table.toString(StandardCharsets.UTF_8))
                .contains("| daemon started ahead | 1 |", "| daemon started ahead, warm-up done | 1 |")
                .contains("| daemon started ahead, warm-up done, module stored | 1 |")
                .contains("| daemon started by the first pod | 1 | in RunPodSandbox |")
                .contains("Archive mapped by the daemon in 4 of 4 rounds.")
                .contains("ms in the 2 rounds that waited for it.");
        assertThat(idle.warmUp()).isPositive();
        assertThat(ahead.warmUp()).isNaN();
        assertThat(CONTAINERD.ctrIn("k8s.io", "container", "ls", "-q").ok().output())
                .as("containers left by the benchmark")
                .isBlank();
    }
}
