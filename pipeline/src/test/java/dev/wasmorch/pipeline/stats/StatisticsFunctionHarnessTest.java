package dev.wasmorch.pipeline.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.model.SummaryStats;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drives the operator's timers by hand (processing time and watermarks). */
class StatisticsFunctionHarnessTest {

    private KeyedOneInputStreamOperatorTestHarness<String, Sample, SummaryStats> harness;

    private static Sample wasm(double v) {
        return new Sample("instantiation", "aes", Runtime.WASM, "created_to_started", v);
    }

    private static Sample container(double v) {
        return new Sample("instantiation", "aes", Runtime.CONTAINER, "created_to_started", v);
    }

    private void open(Duration interval) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new StatisticsFunction(interval), StatisticsFunction.KEY, Types.STRING);
        harness.setProcessingTime(0);
    }

    private void add(Sample s) throws Exception {
        harness.processElement(new StreamRecord<>(s, 0));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void reEmitsEveryIntervalOnlyAfterNewSamples() throws Exception {
        open(Duration.ofSeconds(10));
        add(wasm(0.8));
        add(wasm(1.0));
        harness.setProcessingTime(9_999);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(10_000);
        List<SummaryStats> first = harness.extractOutputValues();
        assertThat(first).singleElement().satisfies(s -> {
            assertThat(s.runtime()).isEqualTo(Runtime.WASM);
            assertThat(s.n()).isEqualTo(2);
            assertThat(s.mean()).isEqualTo(0.9);
        });
        assertThat(harness.getSideOutput(StatisticsFunction.COMPARISONS)).isNull();

        // nothing new: no re-emission
        harness.setProcessingTime(30_000);
        assertThat(harness.extractOutputValues()).hasSize(1);

        // a container sample arrives: the next tick restates both groups and compares them
        add(container(1.7));
        harness.setProcessingTime(40_000);
        List<SummaryStats> all = harness.extractOutputValues();
        assertThat(all).hasSize(3);
        assertThat(all.subList(1, 3))
                .extracting(SummaryStats::runtime)
                .containsExactly(Runtime.WASM, Runtime.CONTAINER);
        List<Comparison> comparisons = harness.getSideOutput(StatisticsFunction.COMPARISONS).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertThat(comparisons).singleElement().satisfies(c -> {
            assertThat(c.nWasm()).isEqualTo(2);
            assertThat(c.nContainer()).isEqualTo(1);
            // mean container / mean wasm = 1.7 / 0.9
            assertThat(c.speedup()).isEqualTo(1.7 / 0.9);
        });

        // end of input after the last tick: nothing changed, nothing more
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(harness.extractOutputValues()).hasSize(3);
    }

    @Test
    void emissionsAfterManyIntervalsEqualOneSummaryOfAllValuesInAnyArrivalOrder() throws Exception {
        java.util.Random random = new java.util.Random(3);
        double[] wasm = random.doubles(500, 0.2, 2.0)
                .map(v -> Math.round(v * 1e3) / 1e3)
                .toArray(); // ties too
        double[] container = random.doubles(300, 0.5, 3.0).toArray();
        open(Duration.ofSeconds(1));
        for (int i = 0; i < 500; i++) {
            add(wasm(wasm[i]));
            if (i < 300) {
                add(container(container[i]));
            }
            if (i % 97 == 0) {
                harness.setProcessingTime(harness.getProcessingTime() + 1_000); // an emission merges what came
            }
        }
        harness.setProcessingTime(harness.getProcessingTime() + 1_000);
        List<SummaryStats> out = harness.extractOutputValues();
        assertThat(out.get(out.size() - 2))
                .isEqualTo(Descriptive.summarize(
                        "instantiation", "aes", Runtime.WASM, "created_to_started", sorted(wasm)));
        assertThat(out.get(out.size() - 1))
                .isEqualTo(Descriptive.summarize(
                        "instantiation", "aes", Runtime.CONTAINER, "created_to_started", sorted(container)));
        List<Comparison> comparisons = harness.getSideOutput(StatisticsFunction.COMPARISONS).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertThat(comparisons.get(comparisons.size() - 1))
                .isEqualTo(Comparisons.compare(
                        "instantiation", "aes", "created_to_started", sorted(wasm), sorted(container)));
    }

    private static double[] sorted(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return s;
    }

    @Test
    void endOfInputEmitsWhatArrivedSinceTheLastTick() throws Exception {
        open(Duration.ofHours(1));
        add(wasm(0.8));
        add(container(1.6));
        add(container(1.8));
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        List<SummaryStats> out = harness.extractOutputValues();
        assertThat(out).extracting(SummaryStats::runtime).containsExactly(Runtime.WASM, Runtime.CONTAINER);
        assertThat(out.get(1).mean()).isCloseTo(1.7, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(out.get(0).sd()).isNaN();
        assertThat(harness.getSideOutput(StatisticsFunction.COMPARISONS)).hasSize(1);
        // the pending processing-time tick finds nothing new
        harness.setProcessingTime(Duration.ofHours(2).toMillis());
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void withoutIntervalOnlyTheEndOfInputEmits() throws Exception {
        open(Duration.ZERO);
        add(wasm(0.8));
        harness.setProcessingTime(Duration.ofDays(1).toMillis());
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void nonFiniteSamplesAreCountedNotSummarized() throws Exception {
        open(Duration.ZERO);
        add(wasm(Double.NaN));
        add(wasm(0.5));
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(harness.extractOutputValues())
                .singleElement()
                .extracting(SummaryStats::n)
                .isEqualTo(1L);
        assertThat(harness.getSideOutput(StatisticsFunction.COUNTS))
                .extracting(StreamRecord::getValue)
                .containsExactly(new Count(StatisticsFunction.NON_FINITE, 1));
    }
}
