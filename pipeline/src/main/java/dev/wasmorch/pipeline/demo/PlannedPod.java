package dev.wasmorch.pipeline.demo;

import dev.wasmorch.pipeline.model.PodLifecycle;
import java.time.Instant;

/**
 * One generated pod: its true (skew-free) lifecycle, which the analyzer should recover from the
 * logs, and what else the generator writes about it.
 *
 * @param podIndex         position in creation order (0-based)
 * @param function         the study function it runs
 * @param truth            identity and true phase times; a {@code null} time never happened
 * @param agent            index of the agent node (0-based) the pod is bound to
 * @param replicaSet       owning ReplicaSet's name
 * @param replicaSetUid    owning ReplicaSet's UID
 * @param replicaSetEvent  when the controller-manager recorded SuccessfulCreate
 * @param handler          CRI runtime handler the kubelet used
 * @param image            the container image
 * @param containerId      the container's ID
 */
record PlannedPod(
        int podIndex,
        StudyFunction function,
        PodLifecycle truth,
        int agent,
        String replicaSet,
        String replicaSetUid,
        Instant replicaSetEvent,
        String handler,
        String image,
        String containerId) {

    String deployment() {
        return function.deployment(truth.runtime());
    }
}
