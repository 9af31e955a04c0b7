package dev.wasmorch.pipeline.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.model.SummaryStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operator in a real (mini) cluster, in both execution modes. */
class StatisticsFunctionMiniClusterTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Two functions; aes has both runtimes, matmul only WASM. */
    private static List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            samples.add(new Sample("instantiation", "aes", Runtime.WASM, "created_to_started", 0.7 + 0.05 * i));
            samples.add(new Sample("instantiation", "aes", Runtime.CONTAINER, "created_to_started", 1.6 + 0.05 * i));
            samples.add(new Sample("instantiation", "matmul", Runtime.WASM, "created_to_started", 0.8));
        }
        return samples;
    }

    @ParameterizedTest
    @EnumSource(
            value = RuntimeExecutionMode.class,
            names = {"BATCH", "STREAMING"})
    void emitsOnceAtTheEndOfBoundedInput(RuntimeExecutionMode mode) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        // an interval far longer than the job: all output comes from the end-of-input timer
        SingleOutputStreamOperator<SummaryStats> stats = env.fromData(samples())
                .keyBy(StatisticsFunction.KEY)
                .process(new StatisticsFunction(Duration.ofHours(1)));
        List<SummaryStats> summaries = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        try (CloseableIterator<SummaryStats> s = stats.collectAsync();
                CloseableIterator<Comparison> c =
                        stats.getSideOutput(StatisticsFunction.COMPARISONS).collectAsync()) {
            env.execute("statistics-" + mode);
            s.forEachRemaining(summaries::add);
            c.forEachRemaining(comparisons::add);
        }

        assertThat(summaries).hasSize(3);
        SummaryStats aesWasm = summaries.stream()
                .filter(x -> x.function().equals("aes") && x.runtime() == Runtime.WASM)
                .findFirst()
                .orElseThrow();
        // 0.75 0.80 0.85 0.90 0.95
        assertThat(aesWasm.n()).isEqualTo(5);
        assertThat(aesWasm.mean()).isCloseTo(0.85, within(1e-12));
        assertThat(aesWasm.median()).isCloseTo(0.85, within(1e-12));
        assertThat(comparisons).singleElement().satisfies(c -> {
            assertThat(c.function()).isEqualTo("aes");
            // every WASM value below every container value; n = 5 each, exact: p = 2/C(10,5) = 2/252
            assertThat(c.u()).isEqualTo(0);
            assertThat(c.pValue()).isCloseTo(2.0 / 252, within(1e-12));
            assertThat(c.speedup()).isCloseTo(1.75 / 0.85, within(1e-12));
        });
    }
}
