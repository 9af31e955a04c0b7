package dev.wasmorch.pipeline.join;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Sample;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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
 * cleared {@code stateTtl} after its last input so memory stays bounded over days.
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
    /** Per pod UID, the metrics already sent as samples: bit {@link Metric#ordinal()}. */
    private transient MapState<String, Integer> sampled;

    public LifecycleJoinFunction(JoinOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        assembler = new LifecycleAssembler(options);
        events = getRuntimeContext().getListState(new ListStateDescriptor<>("events", LifecycleEvent.class));
        metadata = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("metadata", Types.STRING, TypeInformation.of(PodMetadata.class)));
        emitted = getRuntimeContext().getState(new ValueStateDescriptor<>("emitted", Types.INT));
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Types.LONG));
        sampled = getRuntimeContext().getMapState(new MapStateDescriptor<>("sampled-metrics", Types.STRING, Types.INT));
    }

    @Override
    public void processElement1(LifecycleEvent event, Context ctx, Collector<PodLifecycle> out) throws Exception {
        boolean first = !events.get().iterator().hasNext();
        events.add(event);
        if (!options.streaming()) {
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (first) {
            ctx.timerService().registerProcessingTimeTimer(wholeSecondAfter(now + options.completionTimeout().toMillis()));
        }
        touch(ctx, now);
        emitIfReady(ctx, out, false);
    }

    @Override
    public void processElement2(PodMetadata pod, Context ctx, Collector<PodLifecycle> out) throws Exception {
        metadata.put(pod.uid() == null ? "" : pod.uid(), pod);
        if (!options.streaming()) {
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            return;
        }
        touch(ctx, ctx.timerService().currentProcessingTime());
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
        if (last != null && timestamp >= last + options.stateTtl().toMillis()) {
            events.clear();
            metadata.clear();
            emitted.clear();
            lastSeen.clear();
            sampled.clear();
            return;
        }
        Integer state = emitted.value();
        if (state == null || state == 0) {
            emitIfReady(ctx, out, true); // completion timeout: emit what we have
        }
    }

    private void touch(Context ctx, long now) throws Exception {
        lastSeen.update(now);
        ctx.timerService().registerProcessingTimeTimer(wholeSecondAfter(now + options.stateTtl().toMillis()));
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
        boolean metadataIn = !options.metadataExpected() || metadata.keys().iterator().hasNext();
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
    }

    private List<PodLifecycle> assemble() throws Exception {
        List<LifecycleEvent> evs = new ArrayList<>();
        events.get().forEach(evs::add);
        List<PodMetadata> metas = new ArrayList<>();
        metadata.values().forEach(metas::add);
        return assembler.assemble(evs, metas);
    }
}
