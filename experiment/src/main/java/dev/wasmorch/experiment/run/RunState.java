package dev.wasmorch.experiment.run;

import dev.wasmorch.experiment.model.PodRecord;
import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.results.ResultWriter;
import dev.wasmorch.experiment.results.RunMetadata;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a run has done so far: every pod it asked for, which were removed, how many failures. Shared
 * by the runner's thread and the Ctrl-C hook, so every method is thread-safe.
 */
public final class RunState {

    private final List<PodRecord> pods = new ArrayList<>();
    private final Set<PodRef> removed = ConcurrentHashMap.newKeySet();
    private final Map<String, String> runner;
    private final Map<String, String> machine;
    private final Instant started;
    private long failures;
    private PodSpec deploying;
    private PodSpec abandoned;

    public RunState(Map<String, String> runner, Map<String, String> machine, Instant started) {
        this.runner = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runner));
        this.machine = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(machine));
        this.started = started;
    }

    synchronized void add(PodRecord pod) {
        pods.add(pod);
    }

    synchronized PodRecord record(PodRef pod) {
        PodRecord r = find(pod);
        if (r == null) {
            throw new IllegalStateException("no record of pod " + pod.name());
        }
        return r;
    }

    /** The last record of the pod, or {@code null} when the runner never recorded it. */
    synchronized PodRecord find(PodRef pod) {
        return pods.stream()
                .filter(p -> p.pod().equals(pod))
                .reduce((a, b) -> b)
                .orElse(null);
    }

    /**
     * The runner asks the backend for this pod now: until {@link #settle}, a pod the backend reports
     * that has no record is this one's (the runner records each deploy before the next).
     */
    synchronized void deploying(PodSpec spec) {
        deploying = spec;
    }

    /**
     * The deploy of {@link #deploying} returned: records its pod ({@code null}: it named none).
     *
     * @return {@code false} when the end of the run gave up waiting for it and recorded it itself
     *     ({@link #abandonInFlight}), so its late result is not recorded twice
     */
    synchronized boolean settle(PodRecord pod) {
        boolean recorded = deploying == null || !deploying.equals(abandoned);
        if (recorded && pod != null) {
            pods.add(pod);
        }
        deploying = null;
        notifyAll();
        return recorded;
    }

    /**
     * Waits, at most {@code bound}, until no deploy is in flight.
     *
     * @return the spec still in flight, from now on the caller's to record, or {@code null}
     */
    synchronized PodSpec abandonInFlight(Duration bound) {
        long end = System.nanoTime() + bound.toNanos();
        try {
            for (long left = bound.toNanos(); deploying != null && left > 0; left = end - System.nanoTime()) {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandoned = deploying;
        return deploying;
    }

    void removed(PodRef pod) {
        removed.add(pod);
    }

    synchronized void failed() {
        failures++;
    }

    public synchronized List<PodRecord> pods() {
        return List.copyOf(pods);
    }

    /** pods asked for, ready, failed, removed by the runner, and failures recorded. */
    synchronized Map<String, Long> counts() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("pods", (long) pods.size());
        c.put("pods_ready", pods.stream().filter(p -> p.error() == null).count());
        c.put("pods_failed", pods.stream().filter(p -> p.error() != null).count());
        c.put("pods_removed", (long) removed.size());
        c.put("failures", failures);
        return c;
    }

    String summary() {
        return counts().toString();
    }

    void metadata(
            ResultWriter writer,
            RunConfig config,
            Map<String, String> backend,
            Instant finished,
            boolean complete,
            String interruption)
            throws IOException {
        writer.metadata(new RunMetadata(
                runner,
                config.describe(),
                machine,
                backend,
                started.toString(),
                finished == null ? null : finished.toString(),
                complete,
                interruption,
                counts()));
    }
}
