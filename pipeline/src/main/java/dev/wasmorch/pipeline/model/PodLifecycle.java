package dev.wasmorch.pipeline.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A pod's assembled lifecycle: one believed timestamp per phase (null when no event was seen),
 * the classification, and what went wrong.
 *
 * @param namespace      namespace
 * @param pod            pod name
 * @param uid            pod UID, or {@code null} when neither logs nor metadata gave one
 * @param node           node the pod ran on, or {@code null}
 * @param runtime        wasm or container
 * @param function       function name
 * @param scenario       scenario/experiment label
 * @param runtimeClass   runtimeClassName or runtime handler that decided the runtime, or null
 * @param created        PodCreated
 * @param scheduled      PodScheduled
 * @param seen           PodSeen (kubelet)
 * @param sandboxReady   SandboxReady
 * @param containerCreated first ContainerCreated
 * @param containerStarted first ContainerStarted
 * @param ready          PodReady
 * @param deleted        PodDeleted
 * @param duplicates     events dropped because another event of the same phase was believed
 * @param flags          semicolon-separated flags ({@code incomplete}, {@code no_metadata},
 *                       {@code negative_interval:METRIC}, ...); empty when all is well
 * @param complete       true when created, scheduled and started are all known
 */
public record PodLifecycle(
        String namespace,
        String pod,
        String uid,
        String node,
        Runtime runtime,
        String function,
        String scenario,
        String runtimeClass,
        Instant created,
        Instant scheduled,
        Instant seen,
        Instant sandboxReady,
        Instant containerCreated,
        Instant containerStarted,
        Instant ready,
        Instant deleted,
        int duplicates,
        String flags,
        boolean complete) {

    /** The believed time of a phase, or {@code null}. */
    public Instant at(Phase phase) {
        return switch (phase) {
            case CREATED -> created;
            case SCHEDULED -> scheduled;
            case SEEN -> seen;
            case SANDBOX_READY -> sandboxReady;
            case CONTAINER_CREATED -> containerCreated;
            case CONTAINER_STARTED -> containerStarted;
            case READY -> ready;
            case DELETED -> deleted;
            default -> null;
        };
    }

    /**
     * The times of the pod phases in their order (created, scheduled, seen, sandbox ready, container
     * created, container started, ready, deleted); an unknown one is {@code null}.
     */
    public Instant[] phaseTimes() {
        return new Instant[] {created, scheduled, seen, sandboxReady, containerCreated, containerStarted, ready, deleted
        };
    }

    /**
     * The metric in seconds (microsecond resolution), or {@code null} when an end is missing.
     * Negative values are returned as they are; the join flags them.
     */
    public Double seconds(Metric metric) {
        Instant from = at(metric.from());
        Instant to = at(metric.to());
        if (from == null || to == null) {
            return null;
        }
        Duration d = Duration.between(from, to);
        if (Math.abs(d.getSeconds()) >= EXACT_SECONDS) {
            // Far-apart timestamps (a flipped digit in a year) overflow nanoseconds in a long; such an
            // interval is implausible and flagged by the join, so a double is precise enough.
            return d.getSeconds() + d.getNano() / 1e9;
        }
        long micros = d.toNanos() / 1_000L;
        return micros / 1e6;
    }

    /** Intervals shorter than this (about 285 years) are computed exactly in nanoseconds. */
    private static final long EXACT_SECONDS = 9_000_000_000L;

    /**
     * True when the flags keep this metric out of the statistics: a negative interval (clock skew
     * between hosts) or one beyond the plausibility limit. Coarse (whole-second) intervals stay in.
     */
    public boolean isFlagged(Metric metric) {
        for (String f : flags.split(";")) {
            if (f.equals("negative_interval:" + metric.label()) || f.equals("implausible_interval:" + metric.label())) {
                return true;
            }
        }
        return false;
    }

    /** This lifecycle with the pod's deletion time set (it arrived after the pod had finished). */
    public PodLifecycle withDeleted(Instant at) {
        return new PodLifecycle(
                namespace,
                pod,
                uid,
                node,
                runtime,
                function,
                scenario,
                runtimeClass,
                created,
                scheduled,
                seen,
                sandboxReady,
                containerCreated,
                containerStarted,
                ready,
                at,
                duplicates,
                flags,
                complete);
    }

    /** This lifecycle with one more duplicate line counted. */
    public PodLifecycle withOneMoreDuplicate() {
        return new PodLifecycle(
                namespace,
                pod,
                uid,
                node,
                runtime,
                function,
                scenario,
                runtimeClass,
                created,
                scheduled,
                seen,
                sandboxReady,
                containerCreated,
                containerStarted,
                ready,
                deleted,
                duplicates + 1,
                flags,
                complete);
    }
}
