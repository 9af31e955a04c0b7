package dev.wasmorch.pipeline.demo;

import dev.wasmorch.contract.lifecycle.NativeLine;
import dev.wasmorch.pipeline.model.PodLifecycle;
import java.time.Instant;

/**
 * Damaged lifecycle lines as they turn up in real logs (rotated mid-write, an emitter of a newer
 * version, a hand-edited file). Each must be rejected with a reason, never crash the analyzer.
 */
final class MalformedLines {

    /** How many kinds of damage {@link #line} produces; variants cycle through them. */
    static final int VARIANTS = 5;

    private MalformedLines() {}

    static String line(int variant, PlannedPod pod, Instant hostTime, String host) {
        PodLifecycle t = pod.truth();
        String valid = NativeLine.of(hostTime, "PodSeen")
                .field("ns", t.namespace())
                .field("pod", t.pod())
                .field("uid", t.uid())
                .field("host", host)
                .field("component", "kubelet")
                .toString();
        return switch (variant % VARIANTS) {
            // An hour and minute that do not exist.
            case 0 -> valid.replaceFirst("T\\d\\d:\\d\\d:", "T25:61:");
            // An event kind this version does not know.
            case 1 -> valid.replace("event=PodSeen", "event=PodResized");
            // The required namespace is missing.
            case 2 -> valid.replace(" ns=" + t.namespace(), "");
            // The line was cut while being written (log rotation, full disk).
            case 3 -> valid.substring(0, NativeLine.MARKER.length() + " ts=2026-11-26T21:24:09.12".length());
            // A quoted value that never ends.
            default ->
                NativeLine.of(hostTime, "KubeEvent")
                                .field("ns", t.namespace())
                                .field("host", host)
                                .field("component", "kube-controller-manager")
                                .field("reason", "SuccessfulCreate")
                                .field("kind", "ReplicaSet")
                                .field("object", pod.replicaSet())
                        + " msg=\"Created pod: " + t.pod();
        };
    }
}
