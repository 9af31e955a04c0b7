package dev.wasmorch.shim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.shim.e2e.CriStartBench.Measured;
import dev.wasmorch.shim.e2e.CriStartBench.Runtime;
import dev.wasmorch.shim.e2e.CriStartBench.Start;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * The pod-start benchmark on its smallest run, so that it cannot rot: every pod of every case is
 * measured through CRI and removed, and the table names every case. Timings are not asserted
 * (speed goals are the benchmark's, docs/benchmarks.md).
 */
class CriStartBenchTest {

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = CriStartBench.node();

    @Test
    void measuresEveryPodOfEveryCaseAndLeavesNoneBehind() throws Exception {
        Map<String, Measured> results;
        try (JedisPooled redis = CriStartBench.redis()) {
            CriStartBench bench = new CriStartBench(CONTAINERD, redis, "prime-numbers", "n=1");
            bench.importImages(Path.of(System.getProperty("wasmorch.functions.images", "target/functions")));
            results = bench.run(1, System.err);
        }

        assertThat(results).containsOnlyKeys("pod network", "hostNetwork", "10 at once, pod network");
        for (Runtime r : Runtime.values()) {
            assertThat(results.get("pod network").starts().get(r)).hasSize(1);
            assertThat(results.get("hostNetwork").starts().get(r)).hasSize(1);
            assertThat(results.get("10 at once, pod network").starts().get(r)).hasSize(10);
            assertThat(results.get("10 at once, pod network").makespans().get(r))
                    .hasSize(1);
        }
        List<Start> all = results.values().stream()
                .flatMap(m -> m.starts().values().stream())
                .flatMap(List::stream)
                .toList();
        assertThat(all).hasSize(24).allSatisfy(s -> {
            assertThat(s.sandbox()).isPositive();
            assertThat(s.create()).isPositive();
            assertThat(s.start()).isPositive();
            assertThat(s.first200()).isPositive();
        });

        ByteArrayOutputStream table = new ByteArrayOutputStream();
        CriStartBench.print(results, new PrintStream(table, true, StandardCharsets.UTF_8));
        assertThat(table.toString(StandardCharsets.UTF_8))
                .contains("| pod network | wasm | 1 |", "| pod network | runc | 1 |")
                .contains("| hostNetwork | wasm | 1 |", "| hostNetwork | runc | 1 |")
                .contains("| 10 at once, pod network | wasm | 10 |", "| 10 at once, pod network | runc | 10 |")
                .contains("- hostNetwork: ", "all 10 ready after");

        assertThat(CONTAINERD.ctrIn("k8s.io", "container", "ls", "-q").ok().output())
                .as("containers left by the benchmark")
                .isBlank();
    }

    @Test
    void percentilesAreOfTypeSeven() {
        // numpy.percentile([1, 2, 3, 4], 90) == 3.7, median of an even count is the middle pair's mean
        assertThat(CriStartBench.percentile(List.of(4.0, 1.0, 3.0, 2.0), 90))
                .isCloseTo(3.7, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(CriStartBench.percentile(List.of(4.0, 1.0, 3.0, 2.0), 50)).isEqualTo(2.5);
        assertThat(CriStartBench.percentile(List.of(7.0), 90)).isEqualTo(7.0);
    }
}
