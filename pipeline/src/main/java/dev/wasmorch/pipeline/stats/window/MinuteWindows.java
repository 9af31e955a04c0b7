package dev.wasmorch.pipeline.stats.window;

import dev.wasmorch.pipeline.model.EncodableText;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.MinuteStats;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.stats.Descriptive;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Per-minute statistics of the instantiation time: a tumbling event-time window of one minute
 * over the pods' PodScheduled times, per scenario, function and runtime. Lifecycles arrive out of
 * order (several nodes, late log lines): the watermark trails the newest PodScheduled by
 * {@link Lateness#outOfOrderness()}, and a window that gets a pod after it fired fires again
 * (within {@link Lateness#allowed()}) with all its pods, which the sink upserts over the earlier row.
 */
public final class MinuteWindows {

    private MinuteWindows() {}

    public static DataStream<MinuteStats> of(DataStream<PodLifecycle> lifecycles, Metric metric, Lateness lateness) {
        return lifecycles
                .flatMap(values(metric), TypeInformation.of(PodValue.class))
                .name("minute-values-" + metric.label())
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<PodValue>forBoundedOutOfOrderness(lateness.outOfOrderness())
                                .withTimestampAssigner((v, ts) -> v.scheduledMs())
                                .withIdleness(lateness.outOfOrderness().plusSeconds(1)))
                .keyBy(PodValue::group)
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .allowedLateness(lateness.allowed())
                .aggregate(
                        new LatestPerPod(),
                        new Summarize(metric.label()),
                        VALUES_BY_POD,
                        VALUES_BY_POD,
                        TypeInformation.of(MinuteStats.class))
                .name("minute-windows-" + metric.label())
                .uid("minute-windows-" + metric.label());
    }

    /**
     * A pod's value on its way into a window: the group (also the key), a 64-bit hash of the pod's
     * identity (so a re-emitted pod replaces its earlier value; two pods of one group and minute
     * colliding is a 2^-64-per-pair chance), its PodScheduled time and the value.
     */
    public record PodValue(String group, long pod, long scheduledMs, double value) {}

    private static final TypeInformation<Map<Long, Double>> VALUES_BY_POD = Types.MAP(Types.LONG, Types.DOUBLE);

    /**
     * What a window keeps: each pod's latest value by pod hash, updated in place as pods arrive.
     * Windows hold every pod of the allowed lateness plus a minute, and the join emits a pod
     * again when it changes (PodReady after ContainerStarted): kept as a list, that was every
     * emission with its group string, copied by every checkpoint.
     */
    private static final class LatestPerPod
            implements AggregateFunction<PodValue, Map<Long, Double>, Map<Long, Double>> {

        @Override
        public Map<Long, Double> createAccumulator() {
            return new HashMap<>();
        }

        @Override
        public Map<Long, Double> add(PodValue v, Map<Long, Double> byPod) {
            byPod.put(v.pod(), v.value());
            return byPod;
        }

        @Override
        public Map<Long, Double> getResult(Map<Long, Double> byPod) {
            return byPod;
        }

        @Override
        public Map<Long, Double> merge(Map<Long, Double> a, Map<Long, Double> b) {
            a.putAll(b);
            return a;
        }
    }

    /**
     * scenario, function and runtime, the names length-prefixed: they come from logs and labels, so
     * no separator character is safe (a NUL in a function name once shifted the split).
     */
    private static String group(String scenario, String function, Runtime runtime) {
        return scenario.length() + ":" + scenario + function.length() + ":" + function + runtime.label();
    }

    private static String[] ungroup(String key) {
        int colon = key.indexOf(':');
        int end = colon + 1 + Integer.parseInt(key.substring(0, colon));
        String scenario = key.substring(colon + 1, end);
        colon = key.indexOf(':', end);
        int functionEnd = colon + 1 + Integer.parseInt(key.substring(end, colon));
        return new String[] {scenario, key.substring(colon + 1, functionEnd), key.substring(functionEnd)};
    }

    private static long podHash(PodLifecycle p) {
        // UTF-8 turns every lone surrogate into '?': escape first, or two such pods would be one.
        String identity = EncodableText.of(p.namespace() + "/" + p.pod() + "/" + p.uid());
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    }

    /** The metric of every classified pod whose value is trusted (not flagged) and whose PodScheduled is known. */
    private static FlatMapFunction<PodLifecycle, PodValue> values(Metric metric) {
        return (p, out) -> {
            Double v = p.seconds(metric);
            if (v != null
                    && p.scheduled() != null
                    && p.runtime() != null
                    && p.function() != null
                    && p.scenario() != null
                    && !p.isFlagged(metric)) {
                out.collect(new PodValue(
                        group(p.scenario(), p.function(), p.runtime()),
                        podHash(p),
                        p.scheduled().toEpochMilli(),
                        v));
            }
        };
    }

    private static final class Summarize
            extends ProcessWindowFunction<Map<Long, Double>, MinuteStats, String, TimeWindow> {

        private final String metric;

        Summarize(String metric) {
            this.metric = metric;
        }

        @Override
        public void process(String key, Context ctx, Iterable<Map<Long, Double>> window, Collector<MinuteStats> out) {
            Map<Long, Double> byPod = window.iterator().next();
            double[] v =
                    byPod.values().stream().mapToDouble(Double::doubleValue).toArray();
            String[] group = ungroup(key);
            SummaryStats s = Descriptive.summarize(group[0], group[1], Runtime.fromLabel(group[2]), metric, v);
            out.collect(new MinuteStats(
                    Instant.ofEpochMilli(ctx.window().getStart()),
                    s.scenario(),
                    s.function(),
                    s.runtime(),
                    metric,
                    s.n(),
                    s.mean(),
                    s.median(),
                    s.p95()));
        }
    }
}
