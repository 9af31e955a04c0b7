package dev.wasmorch.experiment.run;

import dev.wasmorch.experiment.model.PodRecord;
import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.results.ResultWriter;
import dev.wasmorch.experiment.results.RunMetadata;
import java.io.IOException;
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

    public RunState(Map<String, String> runner, Map<String, String> machine, Instant started) {
        this.runner = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runner));
        this.machine = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(machine));
        this.started = started;
    }

    synchronized void add(PodRecord pod) {
        pods.add(pod);
    }

    synchronized PodRecord record(PodRef pod) {
        return pods.stream()
                .filter(p -> p.pod().equals(pod))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("no record of pod " + pod.name()));
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
