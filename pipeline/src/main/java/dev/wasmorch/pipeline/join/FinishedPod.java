package dev.wasmorch.pipeline.join;

import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import java.time.Instant;

/**
 * What the streaming join keeps of a finished pod until its TTL, so that a late PodDeleted or
 * duplicate can still update its row: the lifecycle without what the key already says (namespace
 * and name), with the eight phase times as epoch nanoseconds (no time at all: {@link #NONE})
 * instead of eight Instant objects. Finished pods are most of the join's keys and every checkpoint
 * copies them: this form is about half the size of the lifecycle and a fifth of its heap objects.
 *
 * @param times epoch nanoseconds of created, scheduled, seen, sandboxReady, containerCreated,
 *              containerStarted, ready, deleted, in that order
 */
public record FinishedPod(
        String uid,
        String node,
        Runtime runtime,
        String function,
        String scenario,
        String runtimeClass,
        long[] times,
        int duplicates,
        String flags,
        boolean complete) {

    /** Marks a phase without a time (outside the range below, so never a real one). */
    public static final long NONE = Long.MIN_VALUE;

    private static final Instant MIN = Instant.ofEpochSecond(Long.MIN_VALUE / 1_000_000_000L + 1);
    private static final Instant MAX = Instant.ofEpochSecond(Long.MAX_VALUE / 1_000_000_000L - 1);

    /**
     * The finished form of a lifecycle, or {@code null} when one of its times lies outside the
     * years 1678-2262 that epoch nanoseconds cover (log lines are untrusted; such a pod keeps its
     * events instead).
     */
    public static FinishedPod of(PodLifecycle p) {
        Instant[] phases = p.phaseTimes();
        long[] times = new long[phases.length];
        for (int i = 0; i < phases.length; i++) {
            if (phases[i] == null) {
                times[i] = NONE;
            } else if (phases[i].isBefore(MIN) || phases[i].isAfter(MAX)) {
                return null;
            } else {
                times[i] = phases[i].getEpochSecond() * 1_000_000_000L + phases[i].getNano();
            }
        }
        return new FinishedPod(
                p.uid(),
                p.node(),
                p.runtime(),
                p.function(),
                p.scenario(),
                p.runtimeClass(),
                times,
                p.duplicates(),
                p.flags(),
                p.complete());
    }

    /** The lifecycle again, for the pod {@code namespace/pod}. */
    public PodLifecycle lifecycle(String namespace, String pod) {
        return new PodLifecycle(
                namespace,
                pod,
                uid,
                node,
                runtime,
                function,
                scenario,
                runtimeClass,
                instant(0),
                instant(1),
                instant(2),
                instant(3),
                instant(4),
                instant(5),
                instant(6),
                instant(7),
                duplicates,
                flags,
                complete);
    }

    private Instant instant(int phase) {
        long t = times[phase];
        return t == NONE
                ? null
                : Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L));
    }
}
