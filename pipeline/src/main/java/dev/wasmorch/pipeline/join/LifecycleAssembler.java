package dev.wasmorch.pipeline.join;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.PodMetadata;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Assembles the lifecycles of one namespace/name from its events and metadata, whatever order they
 * arrived in. Pure logic (no Flink), so batch, streaming and tests share it.
 *
 * <p>Rules (contract/log-format.md): events are split by pod UID (a reused name, e.g. a StatefulSet
 * pod, is a new pod); an event without UID belongs to the one pod of that name, or with several to
 * the latest pod that existed at the event's time. Per phase the best source wins (native hook,
 * then recorded Event, then older formats); within it the earliest event per container; everything
 * else of that phase is counted as a duplicate.
 */
public final class LifecycleAssembler implements Serializable {

    /** The phases a complete lifecycle has (the schedule-to-start interval needs them all). */
    public static final Set<Phase> REQUIRED =
            Collections.unmodifiableSet(EnumSet.of(Phase.CREATED, Phase.SCHEDULED, Phase.CONTAINER_STARTED));

    private static final Phase[] POD_PHASES = {
        Phase.CREATED, Phase.SCHEDULED, Phase.SEEN, Phase.SANDBOX_READY,
        Phase.CONTAINER_CREATED, Phase.CONTAINER_STARTED, Phase.READY, Phase.DELETED
    };

    /** True for the phases a {@link PodLifecycle} records (the shim's task events are not among them). */
    static boolean isPodPhase(Phase phase) {
        for (Phase p : POD_PHASES) {
            if (p == phase) {
                return true;
            }
        }
        return false;
    }

    /** Within a phase and source the earliest event wins; on equal times the first line. */
    private static final Comparator<LifecycleEvent> EARLIEST_FIRST =
            Comparator.comparing(LifecycleEvent::time).thenComparingLong(LifecycleEvent::line);

    private final JoinOptions options;
    private final Classifier classifier;

    public LifecycleAssembler(JoinOptions options) {
        this.options = options;
        this.classifier = new Classifier(options.classifier());
    }

    /** One lifecycle per pod UID found among the events; metadata-only pods are not emitted. */
    public List<PodLifecycle> assemble(List<LifecycleEvent> events, List<PodMetadata> metadata) {
        if (events.isEmpty()) {
            return List.of();
        }
        Map<String, List<LifecycleEvent>> byUid = splitByUid(events, metadata);
        List<PodLifecycle> out = new ArrayList<>(byUid.size());
        for (Map.Entry<String, List<LifecycleEvent>> e : byUid.entrySet()) {
            String uid = e.getKey().isEmpty() ? null : e.getKey();
            out.add(build(uid, e.getValue(), metadataFor(uid, metadata)));
        }
        return out;
    }

    private static Map<String, List<LifecycleEvent>> splitByUid(
            List<LifecycleEvent> events, List<PodMetadata> metadata) {
        Map<String, Instant> starts = new HashMap<>();
        for (LifecycleEvent ev : events) {
            if (ev.uid() != null) {
                starts.merge(ev.uid(), ev.time(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        for (PodMetadata m : metadata) {
            if (m.uid() != null && m.creationTime() != null && starts.containsKey(m.uid())) {
                starts.merge(m.uid(), m.creationTime(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        if (starts.isEmpty() && metadata.size() == 1 && metadata.get(0).uid() != null) {
            // Logs without UIDs (older formats) joined to the one pod the metadata knows.
            return Map.of(metadata.get(0).uid(), events);
        }
        List<Map.Entry<String, Instant>> ordered = new ArrayList<>(starts.entrySet());
        ordered.sort(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        Map<String, List<LifecycleEvent>> out = new LinkedHashMap<>();
        for (LifecycleEvent ev : events) {
            String uid = ev.uid() != null ? ev.uid() : owningUid(ordered, ev.time());
            out.computeIfAbsent(uid, k -> new ArrayList<>()).add(ev);
        }
        return out;
    }

    /**
     * The latest pod started at or before {@code t}; the first pod for earlier times; "" if none.
     * {@code ordered}: UID and start of each pod, by start.
     */
    static String owningUid(List<Map.Entry<String, Instant>> ordered, Instant t) {
        if (ordered.isEmpty()) {
            return "";
        }
        String owner = ordered.get(0).getKey();
        for (Map.Entry<String, Instant> e : ordered) {
            if (!e.getValue().isAfter(t)) {
                owner = e.getKey();
            }
        }
        return owner;
    }

    private static PodMetadata metadataFor(String uid, List<PodMetadata> metadata) {
        for (PodMetadata m : metadata) {
            if (uid != null && uid.equals(m.uid())) {
                return m;
            }
        }
        if (uid == null && metadata.size() == 1) {
            return metadata.get(0);
        }
        // Metadata without UID (hand-made snapshots) still names the pod.
        return metadata.stream().filter(m -> m.uid() == null).findFirst().orElse(null);
    }

    private PodLifecycle build(String uid, List<LifecycleEvent> events, PodMetadata meta) {
        Map<Phase, List<LifecycleEvent>> byPhase = new EnumMap<>(Phase.class);
        String handler = null;
        for (LifecycleEvent e : events) {
            byPhase.computeIfAbsent(e.phase(), k -> new ArrayList<>(2)).add(e);
            if (handler == null) {
                handler = e.handler();
            }
        }
        Map<Phase, LifecycleEvent> believed = new EnumMap<>(Phase.class);
        int duplicates = 0;
        for (Phase phase : POD_PHASES) {
            List<LifecycleEvent> ofPhase = byPhase.get(phase);
            if (ofPhase == null) {
                continue;
            }
            int bestOrigin = Integer.MAX_VALUE;
            for (LifecycleEvent e : ofPhase) {
                bestOrigin = Math.min(bestOrigin, e.origin().ordinal());
            }
            Set<String> containers = new HashSet<>();
            LifecycleEvent earliest = null;
            for (LifecycleEvent e : ofPhase) {
                if (e.origin().ordinal() == bestOrigin) {
                    containers.add(Objects.toString(e.container(), ""));
                    if (earliest == null || EARLIEST_FIRST.compare(e, earliest) < 0) {
                        earliest = e;
                    }
                }
            }
            duplicates += ofPhase.size() - containers.size();
            believed.put(phase, earliest);
        }
        LifecycleEvent any = events.get(0);
        String node = meta != null && meta.node() != null ? meta.node() : nodeFromEvents(believed);
        ClassifyRule.Pod facts = ClassifyRule.Pod.of(meta, any.namespace(), any.pod(), node, handler);
        Classifier.Decision decision = classifier.runtime(meta, facts);
        Classifier.Names names = classifier.names(meta, any.pod());

        Instant[] t = new Instant[POD_PHASES.length];
        for (int i = 0; i < POD_PHASES.length; i++) {
            LifecycleEvent e = believed.get(POD_PHASES[i]);
            t[i] = e == null ? null : e.time();
        }
        boolean complete = believed.keySet().containsAll(REQUIRED);
        PodLifecycle draft = new PodLifecycle(
                any.namespace(),
                any.pod(),
                uid != null ? uid : meta == null ? null : meta.uid(),
                node,
                decision.runtime(),
                names.function(),
                names.scenario(),
                facts.runtimeClass(),
                t[0],
                t[1],
                t[2],
                t[3],
                t[4],
                t[5],
                t[6],
                t[7],
                duplicates,
                "",
                complete);
        return withFlags(draft, believed, meta, decision.rule());
    }

    private PodLifecycle withFlags(
            PodLifecycle p, Map<Phase, LifecycleEvent> believed, PodMetadata meta, ClassifyRule rule) {
        StringJoiner flags = new StringJoiner(";");
        if (!p.complete()) {
            flags.add("incomplete");
            for (Phase required : REQUIRED) {
                if (!believed.containsKey(required)) {
                    flags.add("missing:" + required.eventName());
                }
            }
        }
        if (meta == null && options.metadataExpected()) {
            flags.add("no_metadata");
        }
        if (p.runtime() == null) {
            flags.add("unclassified");
        }
        if (rule != null) {
            flags.add(Count.CLASSIFIED_BY + rule.text());
        }
        for (Map.Entry<Phase, LifecycleEvent> e : believed.entrySet()) {
            if (e.getValue().secondsPrecision()) {
                flags.add("seconds_precision:" + e.getKey().eventName());
            }
        }
        double plausible = options.plausibleMax().toNanos() / 1e9;
        for (Metric m : Metric.values()) {
            Double s = p.seconds(m);
            if (s == null) {
                continue;
            }
            if (s < 0) {
                flags.add("negative_interval:" + m.label());
            } else if (s > plausible) {
                flags.add("implausible_interval:" + m.label());
            } else if (believed.get(m.from()).secondsPrecision()
                    || believed.get(m.to()).secondsPrecision()) {
                // Whole-second timestamps cannot carry a sub-second interval honestly.
                flags.add("coarse_interval:" + m.label());
            }
        }
        return new PodLifecycle(
                p.namespace(),
                p.pod(),
                p.uid(),
                p.node(),
                p.runtime(),
                p.function(),
                p.scenario(),
                p.runtimeClass(),
                p.created(),
                p.scheduled(),
                p.seen(),
                p.sandboxReady(),
                p.containerCreated(),
                p.containerStarted(),
                p.ready(),
                p.deleted(),
                p.duplicates(),
                flags.toString(),
                p.complete());
    }

    private static String nodeFromEvents(Map<Phase, LifecycleEvent> believed) {
        for (LifecycleEvent e : believed.values()) {
            if (e.node() != null) {
                return e.node();
            }
        }
        LifecycleEvent kubelet = believed.get(Phase.CONTAINER_STARTED);
        return kubelet == null ? null : kubelet.host();
    }
}
