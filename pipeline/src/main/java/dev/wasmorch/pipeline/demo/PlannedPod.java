package dev.wasmorch.pipeline.demo;

import dev.wasmorch.pipeline.model.Runtime;
import java.time.Instant;

/**
 * One generated pod: identity and its true (skew-free) timeline. A {@code null} time means the
 * step never happened (incomplete pods).
 *
 * @param agent            index of the agent node (0-based) the pod is bound to
 * @param runtimeClass     spec.runtimeClassName, {@code null} for containers
 * @param handler          CRI runtime handler the kubelet used
 * @param replicaSet       owning ReplicaSet's name
 * @param replicaSetUid    owning ReplicaSet's UID
 * @param podIndex         position in creation order (0-based)
 */
record PlannedPod(
        int podIndex,
        StudyFunction function,
        Runtime runtime,
        String namespace,
        String name,
        String uid,
        String replicaSet,
        String replicaSetUid,
        int agent,
        String runtimeClass,
        String handler,
        String image,
        String containerId,
        Instant created,
        Instant replicaSetEvent,
        Instant scheduled,
        Instant seen,
        Instant sandboxReady,
        Instant containerCreated,
        Instant containerStarted,
        Instant ready,
        Instant deleted) {

    boolean complete() {
        return containerStarted != null;
    }

    String deployment() {
        return function.deployment(runtime);
    }
}
