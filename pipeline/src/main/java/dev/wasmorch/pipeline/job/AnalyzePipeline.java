package dev.wasmorch.pipeline.job;

import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.join.LifecycleJoinFunction;
import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.parse.ParseLogLines;
import dev.wasmorch.pipeline.parse.ParserOptions;
import dev.wasmorch.pipeline.stats.StatisticsFunction;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The analysis graph, shared by the batch and the streaming job: log lines → events → lifecycles
 * (joined with pod metadata) → samples → statistics. Callers choose the sources and the sinks; the
 * operators in between are the same in both modes.
 */
public final class AnalyzePipeline {

    private AnalyzePipeline() {}

    /**
     * Everything the graph produces.
     *
     * @param lifecycles  one record per pod lifecycle (re-emitted on change in streaming mode)
     * @param samples     every value that entered the statistics
     * @param stats       descriptive statistics per (scenario, function, runtime, metric)
     * @param comparisons WASM vs container per (scenario, function, metric)
     * @param rejects     unusable lines of interest
     * @param counts      job counters
     */
    public record Outputs(
            DataStream<PodLifecycle> lifecycles,
            DataStream<Sample> samples,
            DataStream<SummaryStats> stats,
            DataStream<Comparison> comparisons,
            DataStream<Reject> rejects,
            DataStream<Count> counts) {}

    /**
     * @param lines        log lines of interest (and end-of-file records)
     * @param pods         pod metadata (may be empty)
     * @param extraSamples samples from other sources (hey results, study CSVs), or null when there are none
     * @param statsEvery   streaming: how often statistics are re-emitted; ignored in batch
     */
    public static Outputs build(
            DataStream<RawLine> lines,
            DataStream<PodMetadata> pods,
            DataStream<Sample> extraSamples,
            ParserOptions parser,
            JoinOptions join,
            Duration statsEvery) {
        SingleOutputStreamOperator<LifecycleEvent> events =
                lines.process(new ParseLogLines(parser)).name("parse").uid("parse");

        SingleOutputStreamOperator<PodLifecycle> lifecycles = events.keyBy(LifecycleEvent::podKey)
                .connect(pods.keyBy(PodMetadata::podKey))
                .process(new LifecycleJoinFunction(join))
                .name("join-lifecycles")
                .uid("join-lifecycles");

        DataStream<Sample> samples = lifecycles.getSideOutput(LifecycleJoinFunction.SAMPLES);
        if (extraSamples != null) {
            samples = samples.union(extraSamples);
        }

        SingleOutputStreamOperator<SummaryStats> stats = samples.keyBy(StatisticsFunction.KEY)
                .process(new StatisticsFunction(statsEvery))
                .name("statistics")
                .uid("statistics");

        DataStream<Count> counts = events.getSideOutput(ParseLogLines.COUNTS)
                .union(lifecycles.getSideOutput(LifecycleJoinFunction.COUNTS))
                .union(stats.getSideOutput(StatisticsFunction.COUNTS));

        return new Outputs(
                lifecycles,
                samples,
                stats,
                stats.getSideOutput(StatisticsFunction.COMPARISONS),
                events.getSideOutput(ParseLogLines.REJECTS),
                counts);
    }
}
