package dev.wasmorch.pipeline.join;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Sample;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins a pod's lifecycle events with its metadata, keyed by namespace/name, in either mode.
 *
 * <p>BATCH: everything of a key is kept until the end of input (an event-time timer at
 * {@code Long.MAX_VALUE} fires there) and then assembled once. STREAMING: a lifecycle is emitted
 * as soon as it is complete (and again when later events or metadata change it; sinks upsert), as
 * incomplete when {@code completionTimeout} passes without completion, and the key's state is
 * cleared {@code stateTtl} after its last input so memory stays bounded over days: by a timer
 * while a pod is being joined, by Flink's state TTL once its pods finished.
 *
 * <p>A pod that has <em>finished</em> (complete, PodReady seen, metadata in when expected) keeps
 * only its lifecycle until the TTL, not its events, metadata and sample bits: at high pod rates the
 * events of an hour of pods were most of the job's state, and every checkpoint copied all of it.
 * What can still arrive for a finished pod is applied to the kept lifecycle: its PodDeleted, and
 * duplicates (counted as such); a pod phase it never logged is counted as {@code late_events}
 * and not applied, since its samples were already sent. An event with a new UID under the same
 * name is a new pod and is joined as usual.
 */
public class LifecycleJoinFunction extends KeyedCoProcessFunction<String, LifecycleEvent, PodMetadata, PodLifecycle> {

    public static final OutputTag<Count> COUNTS = new OutputTag<>("join-counts", TypeInformation.of(Count.class));

    /**
     * Each pod's samples, each (pod, metric) sent once: in streaming mode a lifecycle is re-emitted
     * when it changes, and the statistics must not count its intervals twice.
     */
    public static final OutputTag<Sample> SAMPLES = new OutputTag<>("join-samples", TypeInformation.of(Sample.class));

    private final JoinOptions options;
    private transient LifecycleAssembler assembler;
    private transient ListState<LifecycleEvent> events;
    private transient MapState<String, PodMetadata> metadata;
    /** Streaming: 0 = nothing emitted yet, 1 = emitted incomplete, 2 = emitted complete. */
    private transient ValueState<Integer> emitted;
    /** Streaming: processing time of the last input, for the TTL. */
    private transient ValueState<Long> lastSeen;
    /** Streaming: processing time of the first event of a pod being joined, for its completion timer. */
    private transient ValueState<Long> firstSeen;
    /** Per pod UID, the metrics already sent as samples: bit {@link Metric#ordinal()}. */
    private transient MapState<String, Integer> sampled;
    /**
     * Streaming: the key's finished pods (usually one), as serialized {@link FinishedPod}s one
     * after another in one byte array: a checkpoint copies one array per key instead of walking a
     * dozen objects, and these are most of the join's keys. One array rather than a map by UID:
     * a map costs each key a hash table, an entry and the UID string again on the heap, and the
     * UID again in every checkpoint. Serialized with FinishedPod's own Flink serializer, so a
     * change of its fields needs a state migration, as it would as a state type.
     *
     * <p>It expires {@code stateTtl} after its last read or write (the key's inputs read it) by
     * Flink's state TTL, not by a timer: a timer per finished pod cost four of the eight heap
     * objects a finished pod took (the timer, its de-duplication node, and its own copy of the key
     * string with its bytes), and at 8 000 pods a second G1's marking of them took a core for many
     * seconds. TTL costs one wrapper object and is cleaned up incrementally as inputs access it.
     */
    private transient ValueState<byte[]> finished;

    private transient TypeSerializer<FinishedPod> finishedSerializer;

    public LifecycleJoinFunction(JoinOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        assembler = new LifecycleAssembler(options);
        events = getRuntimeContext().getListState(new ListStateDescriptor<>("events", LifecycleEvent.class));
        metadata = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("metadata", Types.STRING, TypeInformation.of(PodMetadata.class)));
        emitted = getRuntimeContext().getState(new ValueStateDescriptor<>("emitted", Types.INT));
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Types.LONG));
        firstSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("first-seen", Types.LONG));
        sampled = getRuntimeContext().getMapState(new MapStateDescriptor<>("sampled-metrics", Types.STRING, Types.INT));
        ValueStateDescriptor<byte[]> finishedPods = new ValueStateDescriptor<>(
                "finished-lifecycles", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        if (options.streaming()) {
            finishedPods.enableTimeToLive(StateTtlConfig.newBuilder(options.stateTtl())
                    .updateTtlOnReadAndWrite()
                    .neverReturnExpired()
                    .build());
        }
        finished = getRuntimeContext().getState(finishedPods);
        finishedSerializer = getRuntimeContext().createSerializer(TypeInformation.of(FinishedPod.class));
    }

    @Override
    public void processElement1(LifecycleEvent event, Context ctx, Collector<PodLifecycle> out) throws Exception {
        if (!options.streaming()) {
            events.add(event);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            return;
        }
        PodLifecycle done = finishedPod(ctx.getCurrentKey(), event);
        if (done != null) {
            applyToFinished(ctx, out, event, done); // reading it restarted its TTL
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        touch(ctx, now);
        boolean first = !events.get().iterator().hasNext();
        events.add(event);
        if (first) {
            firstSeen.update(now);
            ctx.timerService().registerProcessingTimeTimer(completionDue(now));
        }
        emitIfReady(ctx, out, false);
    }

    @Override
    public void processElement2(PodMetadata pod, Context ctx, Collector<PodLifecycle> out) throws Exception {
        if (!options.streaming()) {
            metadata.put(uidKey(pod.uid()), pod);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            return;
        }
        if (finishedWithUid(pod.uid()) != null) {
            // The watch reports every change of a running pod; a finished pod's classification is
            // settled (reading it restarted its TTL).
            return;
        }
        touch(ctx, ctx.timerService().currentProcessingTime());
        metadata.put(uidKey(pod.uid()), pod);
        if (events.get().iterator().hasNext()) {
            // Completes a pod that waited for its metadata, or re-classifies an emitted one.
            emitIfReady(ctx, out, false);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PodLifecycle> out) throws Exception {
        if (!options.streaming()) {
            emitAll(ctx, out);
            events.clear();
            metadata.clear();
            return;
        }
        Long last = lastSeen.value();
        if (last == null) {
            // A finished key has no timer (its pods expire by state TTL): this one was restored
            // from a checkpoint taken before they did, and finds nothing of its time to clear.
            return;
        }
        if (timestamp >= last + options.stateTtl().toMillis()) {
            events.clear();
            metadata.clear();
            emitted.clear();
            lastSeen.clear();
            sampled.clear();
            finished.clear();
            firstSeen.clear();
            return;
        }
        // Only the completion timer of the pod being joined may force it out.
        Integer state = emitted.value();
        Long first = firstSeen.value();
        if (first != null
                && timestamp >= completionDue(first)
                && (state == null || state == 0)
                && events.get().iterator().hasNext()) {
            emitIfReady(ctx, out, true); // completion timeout: emit what we have
        }
    }

    private static String uidKey(String uid) {
        return uid == null ? "" : uid;
    }

    /**
     * The finished pod an event belongs to: by its UID. An event without UID, when no pod of the
     * key is being joined, belongs to the finished pod that existed at its time, by the
     * assembler's rule ({@link LifecycleAssembler#owningUid}).
     */
    private PodLifecycle finishedPod(String key, LifecycleEvent event) throws Exception {
        if (event.uid() != null) {
            FinishedPod pod = finishedWithUid(event.uid());
            return pod == null ? null : lifecycle(key, pod);
        }
        List<FinishedPod> pods = events.get().iterator().hasNext() ? List.of() : finishedPods();
        if (pods.isEmpty()) {
            return null;
        }
        Map<String, PodLifecycle> byUid = new HashMap<>();
        for (FinishedPod f : pods) {
            byUid.put(uidKey(f.uid()), lifecycle(key, f));
        }
        List<Map.Entry<String, Instant>> ordered = new ArrayList<>();
        byUid.forEach((uid, p) -> ordered.add(Map.entry(uid, p.created()))); // finished pods are complete
        ordered.sort(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        return byUid.get(LifecycleAssembler.owningUid(ordered, event.time()));
    }

    private static PodLifecycle lifecycle(String key, FinishedPod pod) {
        int slash = key.indexOf('/'); // namespace/name; neither contains a slash
        return pod.lifecycle(key.substring(0, slash), key.substring(slash + 1));
    }

    private List<FinishedPod> finishedPods() throws IOException {
        byte[] serialized = finished.value();
        if (serialized == null) {
            return List.of(); // a pod being joined: every event asks
        }
        List<FinishedPod> pods = new ArrayList<>(1);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        while (in.available() > 0) {
            pods.add(finishedSerializer.deserialize(in));
        }
        return pods;
    }

    private FinishedPod finishedWithUid(String uid) throws IOException {
        for (FinishedPod f : finishedPods()) {
            if (uidKey(f.uid()).equals(uidKey(uid))) {
                return f;
            }
        }
        return null;
    }

    /** Keeps these finished pods beside the key's others, each replacing the one of its UID. */
    private void keepFinished(List<FinishedPod> kept) throws Exception {
        Map<String, FinishedPod> byUid = new LinkedHashMap<>();
        for (FinishedPod f : finishedPods()) {
            byUid.put(uidKey(f.uid()), f);
        }
        for (FinishedPod f : kept) {
            byUid.put(uidKey(f.uid()), f);
        }
        DataOutputSerializer bytes = new DataOutputSerializer(128 * byUid.size());
        for (FinishedPod f : byUid.values()) {
            finishedSerializer.serialize(f, bytes);
        }
        finished.update(bytes.getCopyOfBuffer());
    }

    /** A late event of a finished pod: its deletion, a duplicate, or a phase too late to apply. */
    private void applyToFinished(Context ctx, Collector<PodLifecycle> out, LifecycleEvent event, PodLifecycle done)
            throws Exception {
        if (!LifecycleAssembler.isPodPhase(event.phase())) {
            return; // the assembler ignores these too
        }
        PodLifecycle updated;
        if (event.phase() == Phase.DELETED && done.deleted() == null) {
            updated = done.withDeleted(event.time());
        } else if (done.at(event.phase()) != null) {
            updated = done.withOneMoreDuplicate();
        } else {
            ctx.output(COUNTS, new Count("late_events", 1));
            return;
        }
        FinishedPod kept = FinishedPod.of(updated);
        if (kept == null) { // a PodDeleted time beyond what FinishedPod holds
            ctx.output(COUNTS, new Count("late_events", 1));
            return;
        }
        keepFinished(List.of(kept));
        out.collect(updated);
    }

    /**
     * Keeps only the lifecycles of a key whose pods all finished: nothing that can still arrive
     * changes their samples, so events, metadata, sample bits and timers go (see the class comment).
     */
    private void finish(Context ctx, List<PodLifecycle> pods) throws Exception {
        List<FinishedPod> kept = new ArrayList<>();
        for (PodLifecycle p : pods) {
            FinishedPod f = FinishedPod.of(p);
            if (f == null) {
                return; // a time beyond what FinishedPod holds: this key keeps its events
            }
            kept.add(f);
        }
        keepFinished(kept);
        events.clear();
        metadata.clear();
        sampled.clear();
        emitted.clear();
        Long first = firstSeen.value();
        if (first != null) {
            ctx.timerService().deleteProcessingTimeTimer(completionDue(first));
            firstSeen.clear();
        }
        // The finished pods' own TTL takes over from the key's timer (every input that can finish
        // a key set its last-input time first: touch(), or onTimer's check).
        ctx.timerService().deleteProcessingTimeTimer(ttlDue(lastSeen.value()));
        lastSeen.clear();
    }

    private long completionDue(long firstSeenMs) {
        return wholeSecondAfter(firstSeenMs + options.completionTimeout().toMillis());
    }

    /**
     * Moves the key's TTL timer to {@code stateTtl} after now. The one it replaces is deleted: a key
     * keeps one TTL timer, not one per second it had input in (timers are state that every
     * checkpoint copies). It cannot be the completion timer: the TTL is longer by a second at least.
     */
    private void touch(Context ctx, long now) throws Exception {
        long due = ttlDue(now);
        Long last = lastSeen.value();
        if (last != null) {
            long before = ttlDue(last);
            if (before != due) {
                ctx.timerService().deleteProcessingTimeTimer(before);
            }
        }
        lastSeen.update(now);
        ctx.timerService().registerProcessingTimeTimer(due);
    }

    private long ttlDue(long lastSeenMs) {
        return wholeSecondAfter(lastSeenMs + options.stateTtl().toMillis());
    }

    /**
     * Timers fire at whole seconds: a key registers one timer per second however many inputs
     * arrive in it (equal timers are kept once), instead of one per input.
     */
    private static long wholeSecondAfter(long ms) {
        return ms - Math.floorMod(ms, 1000) + 1000;
    }

    /** Streaming emission: when complete (and metadata is in, if expected), or when forced. */
    private void emitIfReady(Context ctx, Collector<PodLifecycle> out, boolean force) throws Exception {
        boolean metadataIn =
                !options.metadataExpected() || metadata.keys().iterator().hasNext();
        Integer state = emitted.value();
        boolean wasEmitted = state != null && state > 0;
        if (!force && !wasEmitted && !(metadataIn && mayBeComplete())) {
            return; // nothing to emit yet; spares assembling the pod on every event
        }
        List<PodLifecycle> assembled = assemble();
        boolean allComplete = !assembled.isEmpty() && assembled.stream().allMatch(PodLifecycle::complete);
        if (!(force || wasEmitted || allComplete)) {
            return;
        }
        for (PodLifecycle p : assembled) {
            out.collect(p);
            sample(ctx, p);
        }
        if (!wasEmitted) {
            count(ctx, assembled);
        }
        emitted.update(allComplete ? 2 : 1);
        if (allComplete && metadataIn && assembled.stream().allMatch(p -> p.ready() != null)) {
            finish(ctx, assembled);
        }
    }

    private void emitAll(Context ctx, Collector<PodLifecycle> out) throws Exception {
        List<PodLifecycle> assembled = assemble();
        for (PodLifecycle p : assembled) {
            out.collect(p);
            sample(ctx, p);
        }
        count(ctx, assembled);
    }

    /** Without every {@link LifecycleAssembler#REQUIRED} phase among its events no pod of this key is complete. */
    private boolean mayBeComplete() throws Exception {
        Set<Phase> seen = EnumSet.noneOf(Phase.class);
        for (LifecycleEvent e : events.get()) {
            seen.add(e.phase());
        }
        return seen.containsAll(LifecycleAssembler.REQUIRED);
    }

    /** Sends the pod's samples not sent before, and counts them (summary.json "samples"). */
    private void sample(Context ctx, PodLifecycle pod) throws Exception {
        String uid = String.valueOf(pod.uid());
        Integer before = sampled.get(uid);
        int sent = before == null ? 0 : before;
        int now = sent;
        for (Metric m : Metric.values()) {
            Sample s = LifecycleSamples.of(pod, m);
            if (s != null && (now & 1 << m.ordinal()) == 0) {
                now |= 1 << m.ordinal();
                ctx.output(SAMPLES, s);
            }
        }
        if (now != sent) {
            sampled.put(uid, now);
            ctx.output(COUNTS, new Count("samples", Integer.bitCount(now) - Integer.bitCount(sent)));
        }
    }

    private void count(Context ctx, List<PodLifecycle> assembled) {
        long complete = assembled.stream().filter(PodLifecycle::complete).count();
        long duplicates = assembled.stream().mapToLong(PodLifecycle::duplicates).sum();
        ctx.output(COUNTS, new Count("pods_complete", complete));
        ctx.output(COUNTS, new Count("pods_incomplete", assembled.size() - complete));
        if (duplicates > 0) {
            ctx.output(COUNTS, new Count("duplicates", duplicates));
        }
        for (PodLifecycle p : assembled) {
            if (p.runtime() == null) {
                ctx.output(COUNTS, new Count(Count.PODS_UNCLASSIFIED, 1));
            }
            for (String flag : p.flags().split(";")) {
                if (flag.startsWith(Count.CLASSIFIED_BY)) {
                    ctx.output(COUNTS, new Count(flag, 1));
                }
            }
        }
    }

    private List<PodLifecycle> assemble() throws Exception {
        List<LifecycleEvent> evs = new ArrayList<>();
        events.get().forEach(evs::add);
        List<PodMetadata> metas = new ArrayList<>();
        metadata.values().forEach(metas::add);
        return assembler.assemble(evs, metas);
    }
}
