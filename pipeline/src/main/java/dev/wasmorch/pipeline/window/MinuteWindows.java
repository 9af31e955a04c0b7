package dev.wasmorch.pipeline.window;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.stats.Descriptive;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
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
        TypeInformation<Tuple2<PodLifecycle, Double>> type =
                new TupleTypeInfo<>(TypeInformation.of(PodLifecycle.class), TypeInformation.of(Double.class));
        return lifecycles
                .flatMap(values(metric), type)
                .name("minute-values-" + metric.label())
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<Tuple2<PodLifecycle, Double>>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner((v, ts) -> v.f0.scheduled().toEpochMilli())
                        .withIdleness(outOfOrderness.plusSeconds(1)))
                .keyBy(v -> v.f0.scenario() + "\u0000" + v.f0.function() + "\u0000" + v.f0.runtime().label())
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .allowedLateness(allowedLateness)
                .process(new Summarize(metric.label()))
                .name("minute-windows-" + metric.label());
    }

    /** The metric of every classified pod whose value is trusted (not flagged) and whose PodScheduled is known. */
    private static FlatMapFunction<PodLifecycle, Tuple2<PodLifecycle, Double>> values(Metric metric) {
        return (p, out) -> {
            Double v = p.seconds(metric);
            if (v != null && p.scheduled() != null && p.runtime() != null && p.function() != null
                    && p.scenario() != null && !p.isFlagged(metric)) {
                out.collect(Tuple2.of(p, v));
            }
        };
    }

    private static final class Summarize
            extends ProcessWindowFunction<Tuple2<PodLifecycle, Double>, MinuteStats, String, TimeWindow> {

        private final String metric;

        Summarize(String metric) {
            this.metric = metric;
        }

        @Override
        public void process(String key, Context ctx, Iterable<Tuple2<PodLifecycle, Double>> pods,
                Collector<MinuteStats> out) {
            // A pod re-emitted by the join (it changed) replaces its earlier value.
            java.util.Map<String, Double> byPod = new java.util.LinkedHashMap<>();
            PodLifecycle any = null;
            for (Tuple2<PodLifecycle, Double> p : pods) {
                byPod.put(p.f0.namespace() + "/" + p.f0.pod() + "/" + p.f0.uid(), p.f1);
                any = p.f0;
            }
            List<Double> values = new ArrayList<>(byPod.values());
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            SummaryStats s = Descriptive.summarize(any.scenario(), any.function(), any.runtime(), metric, v);
            out.collect(new MinuteStats(Instant.ofEpochMilli(ctx.window().getStart()), s.scenario(), s.function(),
                    s.runtime(), metric, s.n(), s.mean(), s.median(), s.p95()));
        }
    }
}
