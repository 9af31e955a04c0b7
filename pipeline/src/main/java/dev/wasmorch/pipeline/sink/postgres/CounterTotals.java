package dev.wasmorch.pipeline.sink.postgres;

import dev.wasmorch.pipeline.model.Count;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sums counter deltas per name (keyed by name) in checkpointed state and emits the total at most
 * once per interval of processing time, and once more at the end of a bounded input. After a
 * restore the state and the replayed deltas give the same totals again, so upserting them is
 * idempotent.
 */
public class CounterTotals extends KeyedProcessFunction<String, Count, CounterTotal> {

    private final String job;
    private final long intervalMs;
    private transient ValueState<Long> total;

    public CounterTotals(String job, long intervalMs) {
        this.job = job;
        this.intervalMs = intervalMs;
    }

    @Override
    public void open(OpenContext openContext) {
        total = getRuntimeContext().getState(new ValueStateDescriptor<>("total", Types.LONG));
    }

    @Override
    public void processElement(Count count, Context ctx, Collector<CounterTotal> out) throws Exception {
        Long t = total.value();
        total.update((t == null ? 0 : t) + count.delta());
        long now = ctx.timerService().currentProcessingTime();
        // Timers with equal timestamps are registered once: one emission per key and interval.
        ctx.timerService().registerProcessingTimeTimer(now - now % intervalMs + intervalMs);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CounterTotal> out) throws Exception {
        long at = timestamp == Long.MAX_VALUE ? ctx.timerService().currentProcessingTime() : timestamp;
        out.collect(new CounterTotal(job, ctx.getCurrentKey(), total.value(), Instant.ofEpochSecond(at / 1000)));
    }
}
