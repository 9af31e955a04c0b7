package dev.wasmorch.pipeline.sink.postgres;

import static dev.wasmorch.pipeline.sink.postgres.Lifecycles.pod;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.stats.window.Lateness;
import dev.wasmorch.pipeline.stats.window.MinuteWindows;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A small known result set written by a batch job through {@link PostgresOutput}: five pods of
 * function aes (three WASM in minute 21:24, one with a skewed interval, one container in 21:25),
 * statistics, a comparison and counters.
 */
public final class SampleResults {

    public static final Instant T0 = Instant.parse("2026-11-26T21:24:00Z");

    private SampleResults() {}

    public static void write(JdbcTarget target) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        PostgresOutput out = new PostgresOutput(target, PostgresOutput.Settings.defaults("test"));
        out.migrate();
        DataStream<PodLifecycle> pods = env.fromData(
                List.of(
                        pod("aes-w1", Runtime.WASM, "aes", T0.plusSeconds(10), 0.5, "agent-1", ""),
                        // Emitted twice, as the streaming join does when a pod changes: the later one counts, once.
                        pod("aes-w2", Runtime.WASM, "aes", T0.plusSeconds(20), 0.6, "agent-1", ""),
                        pod("aes-w2", Runtime.WASM, "aes", T0.plusSeconds(20), 0.7, "agent-1", ""),
                        pod("aes-w3", Runtime.WASM, "aes", T0.plusSeconds(59), 0.9, "agent-2", ""),
                        pod(
                                "aes-skew",
                                Runtime.WASM,
                                "aes",
                                T0.plusSeconds(30),
                                -0.1,
                                "agent-2",
                                "negative_interval:scheduled_to_started"),
                        pod("aes-c1", Runtime.CONTAINER, "aes", T0.plusSeconds(61), 1.7, "agent-1", "")),
                TypeInformation.of(PodLifecycle.class));
        out.lifecycles(pods);
        out.minutes(MinuteWindows.of(pods, Metric.SCHEDULED_TO_STARTED, Lateness.defaults()));
        out.stats(env.fromData(
                List.of(
                        new SummaryStats(
                                "serial",
                                "aes",
                                Runtime.WASM,
                                "response_time",
                                200,
                                0.012,
                                0.011,
                                0.02,
                                0.025,
                                0.03,
                                0.005,
                                0.04,
                                0.004,
                                0.3,
                                0.0114,
                                0.0126),
                        new SummaryStats(
                                "instantiation",
                                "aes",
                                Runtime.WASM,
                                "scheduled_to_started",
                                3,
                                0.7,
                                0.7,
                                0.86,
                                0.88,
                                0.896,
                                0.5,
                                0.9,
                                0.2,
                                0.233,
                                0.203,
                                1.197),
                        new SummaryStats(
                                "instantiation",
                                "aes",
                                Runtime.CONTAINER,
                                "scheduled_to_started",
                                1,
                                1.7,
                                1.7,
                                1.7,
                                1.7,
                                1.7,
                                1.7,
                                1.7,
                                Double.NaN,
                                0,
                                Double.NaN,
                                Double.NaN)),
                TypeInformation.of(SummaryStats.class)));
        out.comparisons(env.fromData(
                List.of(new Comparison(
                        "instantiation",
                        "aes",
                        "scheduled_to_started",
                        100,
                        100,
                        0.8,
                        1.68,
                        2.1,
                        120,
                        -11.2,
                        1e-12,
                        -12,
                        -0.976)),
                TypeInformation.of(Comparison.class)));
        out.counts(env.fromData(
                List.of(
                        new Count("lines_read", 10),
                        new Count("rejected:bad_timestamp", 1),
                        new Count("lines_read", 5)),
                TypeInformation.of(Count.class)));
        env.execute("sample-results");
    }
}
