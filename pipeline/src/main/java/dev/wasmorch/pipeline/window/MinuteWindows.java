package dev.wasmorch.pipeline.window;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.stats.Descriptive;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Per-minute statistics of the instantiation time: a tumbling event-time window of one minute
 * over the pods' PodScheduled times, per scenario, function and runtime. Lifecycles arrive out of
 * order (several nodes, late log lines): the watermark trails the newest PodScheduled by
 * {@code outOfOrderness}, and a window that gets a pod after it fired fires again (within
 * {@code allowedLateness}) with all its pods, which the sink upserts over the earlier row.
 */
public final class MinuteWindows {

    private MinuteWindows() {}

    public static DataStream<MinuteStats> of(
            DataStream<PodLifecycle> lifecycles, Metric metric, Duration outOfOrderness, Duration allowedLateness) {
        return lifecycles
                .flatMap(values(metric), TypeInformation.of(PodValue.class))
                .name("minute-values-" + metric.label())
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<PodValue>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner((v, ts) -> v.scheduledMs())
                        .withIdleness(outOfOrderness.plusSeconds(1)))
                .keyBy(v -> v.scenario() + "\u0000" + v.function() + "\u0000" + v.runtime().label())
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .allowedLateness(allowedLateness)
                .process(new Summarize(metric.label()))
                .name("minute-windows-" + metric.label());
    }

    /**
     * What a window keeps of a pod: its identity, group, PodScheduled time and value (not the
     * whole lifecycle: windows hold every pod of 11 minutes).
     *
     * @param pod namespace/name/uid, so a re-emitted pod replaces its earlier value
     */
    public record PodValue(String pod, String scenario, String function, Runtime runtime, long scheduledMs,
            double value) {}

    /** The metric of every classified pod whose value is trusted (not flagged) and whose PodScheduled is known. */
    private static FlatMapFunction<PodLifecycle, PodValue> values(Metric metric) {
        return (p, out) -> {
            Double v = p.seconds(metric);
            if (v != null && p.scheduled() != null && p.runtime() != null && p.function() != null
                    && p.scenario() != null && !p.isFlagged(metric)) {
                out.collect(new PodValue(p.namespace() + "/" + p.pod() + "/" + p.uid(), p.scenario(), p.function(),
                        p.runtime(), p.scheduled().toEpochMilli(), v));
            }
        };
    }

    private static final class Summarize
            extends ProcessWindowFunction<PodValue, MinuteStats, String, TimeWindow> {

        private final String metric;

        Summarize(String metric) {
            this.metric = metric;
        }

        @Override
        public void process(String key, Context ctx, Iterable<PodValue> pods, Collector<MinuteStats> out) {
            // A pod re-emitted by the join (it changed) replaces its earlier value.
            java.util.Map<String, Double> byPod = new java.util.LinkedHashMap<>();
            PodValue any = null;
            for (PodValue p : pods) {
                byPod.put(p.pod(), p.value());
                any = p;
            }
            List<Double> values = new ArrayList<>(byPod.values());
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            SummaryStats s = Descriptive.summarize(any.scenario(), any.function(), any.runtime(), metric, v);
            out.collect(new MinuteStats(Instant.ofEpochMilli(ctx.window().getStart()), s.scenario(), s.function(),
                    s.runtime(), metric, s.n(), s.mean(), s.median(), s.p95()));
        }
    }
}
