package dev.wasmorch.experiment.model;

/**
 * When a pod passed each step of its start, in microseconds since the epoch, as the backend's clock
 * took them; {@code null} for a step the pod did not reach (a failed pod keeps what it did reach).
 *
 * @param created the request to run the pod was accepted (PodCreated; on a node without a scheduler
 *     also PodScheduled)
 * @param sandboxReady RunPodSandbox returned
 * @param containerCreated CreateContainer returned
 * @param started StartContainer returned
 * @param ready the readiness probe's first 200
 */
public record PodTimings(Long created, Long sandboxReady, Long containerCreated, Long started, Long ready) {

    public static final PodTimings NONE = new PodTimings(null, null, null, null, null);

    /** The clock every timing is taken with: now, in microseconds since the epoch. */
    public static long now() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    public PodTimings withCreated(long micros) {
        return new PodTimings(micros, sandboxReady, containerCreated, started, ready);
    }

    public PodTimings withSandboxReady(long micros) {
        return new PodTimings(created, micros, containerCreated, started, ready);
    }

    public PodTimings withContainerCreated(long micros) {
        return new PodTimings(created, sandboxReady, micros, started, ready);
    }

    public PodTimings withStarted(long micros) {
        return new PodTimings(created, sandboxReady, containerCreated, micros, ready);
    }

    public PodTimings withReady(long micros) {
        return new PodTimings(created, sandboxReady, containerCreated, started, micros);
    }

    /** Seconds from created to started (the study's init_time), or {@code null} when either is missing. */
    public Double createdToStartedSeconds() {
        return created == null || started == null ? null : (started - created) / 1e6;
    }
}
