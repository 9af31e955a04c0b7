package dev.wasmorch.pipeline.stats;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.model.SummaryStats;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Summarizes the samples of one (scenario, function, metric), used unchanged by the batch and the
 * streaming job. Keyed by {@link #KEY}; keeps every value per runtime in keyed state and emits a
 * {@link SummaryStats} per runtime with data (main output) and, when both runtimes have data, a
 * {@link Comparison} on {@link #COMPARISONS}. The statistics stay exact (docs/statistics.md), so
 * every value is kept: per runtime as one ascending {@code double[]} of everything emitted so far
 * plus the values that arrived since. An emission sorts only the new values and merges them in,
 * instead of sorting the whole group again, and the summaries then run over sorted input (for
 * which Java's sort is linear). Sums are taken in ascending order, so the results do not depend on
 * the order in which samples arrived.
 *
 * <p>When it emits:
 *
 * <ul>
 *   <li>at the end of input, through an event-time timer at {@code Long.MAX_VALUE}: in BATCH
 *       execution it fires when the key is done, in STREAMING execution with bounded input when the
 *       final watermark arrives;
 *   <li>with a positive {@code emitInterval}, in addition every interval of processing time while
 *       new samples arrive (STREAMING). Each emission restates the whole group, so a later row
 *       supersedes an earlier one of the same key.
 * </ul>
 *
 * A group is emitted only when samples arrived since its last emission, so BATCH execution (which
 * fires all of a key's timers at the end of the key) emits exactly once per key.
 *
 * <p>Samples with a non-finite value cannot be summarized: they are dropped and counted as
 * {@code rejected:non_finite_sample} on {@link #COUNTS}.
 */
public class StatisticsFunction extends KeyedProcessFunction<String, Sample, SummaryStats> {

    private static final long serialVersionUID = 1L;

    /** The key: {@code scenario|function|metric}. */
    public static final KeySelector<Sample, String> KEY = new GroupKey();

    /** WASM-vs-container comparisons. */
    public static final OutputTag<Comparison> COMPARISONS =
            new OutputTag<>("comparisons", TypeInformation.of(Comparison.class));

    /** Counter increments (samples rejected here). */
    public static final OutputTag<Count> COUNTS = new OutputTag<>("statistics-counts", TypeInformation.of(Count.class));

    static final String NON_FINITE = "rejected:non_finite_sample";

    private final long emitIntervalMs;

    /** Values since the last emission, per runtime. */
    private transient ListState<Double> wasmValues;

    private transient ListState<Double> containerValues;
    /** Every value up to the last emission, ascending, per runtime. */
    private transient ValueState<double[]> wasmSorted;

    private transient ValueState<double[]> containerSorted;
    private transient ValueState<Tuple3<String, String, String>> labels;
    private transient ValueState<Long> nextEmit;

    /**
     * @param emitInterval how often to re-emit while samples arrive; {@link Duration#ZERO} emits only
     *     at the end of input
     */
    public StatisticsFunction(Duration emitInterval) {
        if (emitInterval.isNegative()) {
            throw new IllegalArgumentException("emit interval must not be negative: " + emitInterval);
        }
        this.emitIntervalMs = emitInterval.toMillis();
    }

    /** Emits only at the end of input (the batch job's choice). */
    public static StatisticsFunction atEndOfInput() {
        return new StatisticsFunction(Duration.ZERO);
    }

    @Override
    public void open(OpenContext openContext) {
        wasmValues = getRuntimeContext().getListState(new ListStateDescriptor<>("wasm-values", Types.DOUBLE));
        containerValues = getRuntimeContext().getListState(new ListStateDescriptor<>("container-values", Types.DOUBLE));
        wasmSorted = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(
                        "wasm-sorted", PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
        containerSorted = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(
                        "container-sorted", PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
        labels = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("labels", Types.TUPLE(Types.STRING, Types.STRING, Types.STRING)));
        nextEmit = getRuntimeContext().getState(new ValueStateDescriptor<>("next-emit", Types.LONG));
    }

    @Override
    public void processElement(Sample sample, Context ctx, Collector<SummaryStats> out) throws Exception {
        if (!Double.isFinite(sample.value())) {
            ctx.output(COUNTS, new Count(NON_FINITE, 1));
            return;
        }
        (sample.runtime() == Runtime.WASM ? wasmValues : containerValues).add(sample.value());
        if (labels.value() == null) {
            labels.update(Tuple3.of(sample.scenario(), sample.function(), sample.metric()));
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        if (emitIntervalMs > 0 && nextEmit.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + emitIntervalMs;
            ctx.timerService().registerProcessingTimeTimer(at);
            nextEmit.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SummaryStats> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            nextEmit.clear();
        }
        if (!wasmValues.get().iterator().hasNext()
                && !containerValues.get().iterator().hasNext()) {
            return; // nothing arrived since the last emission
        }
        Tuple3<String, String, String> group = labels.value();
        double[] wasm = mergeNew(wasmSorted, wasmValues);
        double[] container = mergeNew(containerSorted, containerValues);
        if (wasm.length > 0) {
            out.collect(Descriptive.summarize(group.f0, group.f1, Runtime.WASM, group.f2, wasm));
        }
        if (container.length > 0) {
            out.collect(Descriptive.summarize(group.f0, group.f1, Runtime.CONTAINER, group.f2, container));
        }
        if (wasm.length > 0 && container.length > 0) {
            ctx.output(COMPARISONS, Comparisons.compare(group.f0, group.f1, group.f2, wasm, container));
        }
    }

    /** Sorts the values that arrived since the last emission into the sorted ones; returns them all. */
    private static double[] mergeNew(ValueState<double[]> sortedState, ListState<Double> fresh) throws Exception {
        double[] sorted = sortedState.value();
        if (sorted == null) {
            sorted = new double[0];
        }
        Iterable<Double> stored = fresh.get();
        if (stored == null || !stored.iterator().hasNext()) {
            return sorted;
        }
        double[] added = StreamSupport.stream(stored.spliterator(), false)
                .mapToDouble(Double::doubleValue)
                .toArray();
        Arrays.sort(added);
        double[] all = new double[sorted.length + added.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < sorted.length && j < added.length) {
            all[k++] = sorted[i] <= added[j] ? sorted[i++] : added[j++];
        }
        System.arraycopy(sorted, i, all, k, sorted.length - i);
        System.arraycopy(added, j, all, k + sorted.length - i, added.length - j);
        sortedState.update(all);
        fresh.clear();
        return all;
    }

    /** {@code scenario|function|metric}; a named class so Flink can see the key type. */
    private static final class GroupKey implements KeySelector<Sample, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Sample sample) {
            return sample.scenario() + "|" + sample.function() + "|" + sample.metric();
        }
    }
}
