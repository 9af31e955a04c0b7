package dev.wasmorch.pipeline.join;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Sample;

/**
 * The samples a lifecycle gives the statistics: one per metric with both ends known, for
 * classified pods only, leaving out intervals flagged as skewed or implausible.
 */
public final class LifecycleSamples {

    private LifecycleSamples() {}

    /** The pod's sample of one metric, or null (unclassified, an end missing, or flagged). */
    public static Sample of(PodLifecycle pod, Metric m) {
        if (pod.runtime() == null) {
            return null;
        }
        Double s = pod.seconds(m);
        return s != null && !pod.isFlagged(m)
                ? new Sample(pod.scenario(), pod.function(), pod.runtime(), m.label(), s)
                : null;
    }
}
