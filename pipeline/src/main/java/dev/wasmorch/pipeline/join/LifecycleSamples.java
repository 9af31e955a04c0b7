package dev.wasmorch.pipeline.join;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Sample;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a lifecycle into the samples the statistics use: one per metric with both ends known,
 * for classified pods only, leaving out intervals flagged as skewed or implausible.
 */
public class LifecycleSamples implements FlatMapFunction<PodLifecycle, Sample> {

    @Override
    public void flatMap(PodLifecycle pod, Collector<Sample> out) {
        if (pod.runtime() == null) {
            return;
        }
        for (Metric m : Metric.values()) {
            Double s = pod.seconds(m);
            if (s != null && !pod.isFlagged(m)) {
                out.collect(new Sample(pod.scenario(), pod.function(), pod.runtime(), m.label(), s));
            }
        }
    }
}
