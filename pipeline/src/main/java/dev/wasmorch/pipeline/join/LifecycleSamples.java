package dev.wasmorch.pipeline.join;

import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * The samples a lifecycle gives the statistics: one per metric with both ends known, for
 * classified pods only, leaving out intervals flagged as skewed or implausible.
 */
public final class LifecycleSamples {

    private LifecycleSamples() {}

    /** One sample per usable metric of the pod; none for an unclassified pod. */
    public static List<Sample> of(PodLifecycle pod) {
        List<Sample> out = new ArrayList<>();
        if (pod.runtime() == null) {
            return out;
        }
        for (Metric m : Metric.values()) {
            Double s = pod.seconds(m);
            if (s != null && !pod.isFlagged(m)) {
                out.add(new Sample(pod.scenario(), pod.function(), pod.runtime(), m.label(), s));
            }
        }
        return out;
    }
}
