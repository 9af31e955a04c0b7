package dev.wasmorch.pipeline.join;

import static dev.wasmorch.pipeline.join.Events.fullPod;
import static dev.wasmorch.pipeline.join.Events.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Origin;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The join in STREAMING mode, driven through Flink's operator test harness with processing time. */
class LifecycleJoinFunctionTest {

    private static final PodMetadata WASM = meta("u1", "spin", Map.of("app", "aes"), Map.of(), null, null);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TTL = Duration.ofMinutes(10);

    private KeyedTwoInputStreamOperatorTestHarness<String, LifecycleEvent, PodMetadata, PodLifecycle> harness;

    private void open(boolean metadataExpected) throws Exception {
        open(ClassifierOptions.defaults(), metadataExpected);
    }

    private void open(ClassifierOptions classifier, boolean metadataExpected) throws Exception {
        harness = join(classifier, metadataExpected);
        harness.open();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, LifecycleEvent, PodMetadata, PodLifecycle> join(
            ClassifierOptions classifier, boolean metadataExpected) throws Exception {
        JoinOptions options = JoinOptions.batch(classifier, metadataExpected).asStreaming(TIMEOUT, TTL);
        return keyedByPod(new LifecycleJoinFunction(options));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, LifecycleEvent, PodMetadata, PodLifecycle> keyedByPod(
            KeyedCoProcessFunction<String, LifecycleEvent, PodMetadata, PodLifecycle> function) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(function), LifecycleEvent::podKey, PodMetadata::podKey, Types.STRING);
    }

    /** Opens the join and feeds it pod u1 at time 0, so it holds u1 as finished. */
    private void openWithPodFinishedAt0() throws Exception {
        open(false);
        at(0);
        feed(fullPod("u1"));
    }

    /** Moves the clock of timers and of state TTL, as processing time moves both in a job. */
    private void at(long ms) throws Exception {
        harness.setStateTtlProcessingTime(ms);
        harness.setProcessingTime(ms);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void emitsOnceCompleteAndMetadataKnownWhateverCameFirst() throws Exception {
        open(true);
        feed(fullPod("u1"));
        assertThat(lifecycles()).as("complete but metadata not yet known").isEmpty();

        harness.processElement2(new StreamRecord<>(WASM));

        List<PodLifecycle> out = lifecycles();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).runtime()).isEqualTo(Runtime.WASM);
        assertThat(out.get(0).complete()).isTrue();

        // A late duplicate re-emits the lifecycle (sinks upsert) but is not counted as a new pod.
        harness.processElement1(new StreamRecord<>(fullPod("u1").get(0)));
        assertThat(lifecycles()).hasSize(2);
        assertThat(lifecycles().get(1).duplicates()).isEqualTo(1);
        // ... and its intervals reach the statistics once: six metrics, not twelve.
        assertThat(samples()).hasSize(6).extracting(Sample::metric).doesNotHaveDuplicates();
        assertThat(counts()).contains(new Count("pods_complete", 1), new Count("pods_incomplete", 0));
    }

    @Test
    void rulesClassifyAPodWithoutMetadataAndAreCountedOnce() throws Exception {
        open(ClassifierOptions.defaults().withRules(List.of(ClassifyRule.parse("wasm:namespace=default"))), false);
        feed(fullPod("u1"));
        harness.processElement1(new StreamRecord<>(fullPod("u1").get(0))); // a duplicate re-emits the pod

        // Emitted when started, again when ready and on the duplicate; counted the first time only.
        assertThat(lifecycles()).hasSize(3).allSatisfy(p -> {
            assertThat(p.runtime()).isEqualTo(Runtime.WASM);
            assertThat(p.flags()).isEqualTo("classified_by:wasm:namespace=default");
        });
        assertThat(counts()).containsOnlyOnce(new Count("classified_by:wasm:namespace=default", 1));
        assertThat(counts()).extracting(Count::name).doesNotContain(Count.PODS_UNCLASSIFIED);
    }

    @Test
    void metadataBeforeEventsEmitsOnTheCompletingEvent() throws Exception {
        open(true);
        harness.processElement2(new StreamRecord<>(WASM));
        List<LifecycleEvent> events = fullPod("u1");
        for (int i = 0; i < events.size(); i++) {
            harness.processElement1(new StreamRecord<>(events.get(i)));
            // created, scheduled, seen, sandbox, container created: not complete before "started" (index 5)
            assertThat(lifecycles()).hasSize(i < 5 ? 0 : i - 4);
        }
        List<PodLifecycle> out = lifecycles();
        assertThat(out.get(out.size() - 1).ready()).isNotNull(); // re-emitted with the later PodReady
    }

    @Test
    void incompleteLifecycleIsEmittedAfterTheTimeout() throws Exception {
        open(false);
        at(1_000);
        harness.processElement1(new StreamRecord<>(fullPod("u1").get(1)));
        assertThat(lifecycles()).isEmpty();

        at(1_000 + TIMEOUT.toMillis() - 1);
        assertThat(lifecycles()).as("before the timeout").isEmpty();
        // Timers fire on the whole second after they are due (one timer per key and second).
        at(1_000 + TIMEOUT.toMillis() + 1_000);

        List<PodLifecycle> out = lifecycles();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).complete()).isFalse();
        assertThat(out.get(0).flags()).contains("incomplete");
        assertThat(counts()).contains(new Count("pods_incomplete", 1));
    }

    @Test
    void stateIsClearedAfterTheTtlSoMemoryStaysBounded() throws Exception {
        open(false);
        at(0);
        List<LifecycleEvent> events = fullPod("u1");
        harness.processElement1(new StreamRecord<>(events.get(0)));
        int firstEventEntries = harness.numKeyedStateEntries();
        feed(events.subList(1, events.size()));
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);

        at(TTL.toMillis() - 1);
        assertThat(harness.numKeyedStateEntries()).as("before the TTL").isGreaterThan(0);
        at(TTL.toMillis() + 1_000);
        int emitted = lifecycles().size();
        // The finished pod's state TTL ran out; the next input's access cleans it up.
        harness.processElement1(new StreamRecord<>(fullPod("u2").get(0)));

        assertThat(harness.numKeyedStateEntries())
                .as("only the new pod's first event is held")
                .isEqualTo(firstEventEntries);
        assertThat(lifecycles())
                .as("u2 is joined, not taken for a late event of u1")
                .hasSize(emitted);
    }

    @Test
    void aFinishedPodsTtlRestartsWithEachLateInput() throws Exception {
        openWithPodFinishedAt0();
        at(TTL.toMillis() - 1_000);
        harness.processElement1(new StreamRecord<>(Events.ev(Phase.DELETED, 30.0, "u1", "agent-1")));
        int emitted = lifecycles().size();

        at(TTL.toMillis() + 5_000); // past the first TTL, within the one the deletion restarted
        harness.processElement1(new StreamRecord<>(fullPod("u1").get(5))); // ContainerStarted again

        assertThat(lifecycles()).hasSize(emitted + 1);
        assertThat(lifecycles().get(emitted).duplicates()).isEqualTo(1);
        assertThat(lifecycles().get(emitted).deleted()).isEqualTo(Events.at(30.0));
    }

    @Test
    void finishedPodKeepsOnlyItsLifecycleAndTakesLateDeletionsAndDuplicates() throws Exception {
        open(true);
        harness.processElement2(new StreamRecord<>(WASM));
        List<LifecycleEvent> events = fullPod("u1");
        feed(events.subList(0, events.size() - 1));
        int joining = harness.numKeyedStateEntries();
        harness.processElement1(new StreamRecord<>(events.get(events.size() - 1))); // PodReady: finished
        assertThat(harness.numKeyedStateEntries())
                .as("events, metadata and sample bits are dropped; the lifecycle and the TTL's clock stay")
                .isLessThan(joining);
        int emittedBefore = lifecycles().size();

        harness.processElement1(new StreamRecord<>(Events.ev(Phase.DELETED, 30.0, "u1", "agent-1")));
        PodLifecycle deleted = lifecycles().get(emittedBefore);
        assertThat(deleted.deleted()).isEqualTo(Events.at(30.0));
        assertThat(deleted.ready()).isEqualTo(Events.at(0.900));
        assertThat(deleted.runtime()).isEqualTo(Runtime.WASM);

        harness.processElement1(new StreamRecord<>(events.get(5))); // ContainerStarted again
        assertThat(lifecycles().get(emittedBefore + 1).duplicates()).isEqualTo(1);
        assertThat(lifecycles().get(emittedBefore + 1).deleted()).isEqualTo(Events.at(30.0));
        // Metadata updates of a finished pod (the watch sends every change) neither emit nor keep state.
        int finishedEntries = harness.numKeyedStateEntries();
        harness.processElement2(new StreamRecord<>(WASM));
        assertThat(lifecycles()).hasSize(emittedBefore + 2);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(finishedEntries);
        assertThat(samples()).as("late inputs send no samples").hasSize(6);
    }

    @Test
    void newPodUnderAFinishedNameIsNotForcedOutWhenTheFinishedOneExpires() throws Exception {
        openWithPodFinishedAt0();
        // A new pod of the same name starts shortly before the finished one's TTL runs out.
        at(TTL.toMillis() - 500);
        harness.processElement1(new StreamRecord<>(fullPod("u2").get(0)));
        int emitted = lifecycles().size();

        at(TTL.toMillis() + 1_000); // the finished pod's TTL runs out
        assertThat(lifecycles()).as("u2 waits for its own completion timeout").hasSize(emitted);

        at(TTL.toMillis() - 500 + TIMEOUT.toMillis() + 1_000);
        assertThat(lifecycles()).hasSize(emitted + 1);
        assertThat(lifecycles().get(emitted).uid()).isEqualTo("u2");
        assertThat(lifecycles().get(emitted).complete()).isFalse();
    }

    @Test
    void finishedPodsStaySmallInACheckpoint() throws Exception {
        open(false);
        int pods = 2_000;
        for (int k = 0; k < pods; k++) {
            String name = "fn" + (k % 9) + "-7d9f8b6c5d-" + String.format("%05d", k);
            for (LifecycleEvent e : fullPod("uid-" + k)) {
                harness.processElement1(new StreamRecord<>(new LifecycleEvent(
                        e.time().plusSeconds(k),
                        e.phase(),
                        "bench",
                        name,
                        e.uid(),
                        "agent-1",
                        e.host(),
                        "kubelet",
                        e.container(),
                        "wasmorch",
                        e.origin(),
                        false,
                        "/var/log/k3s/agent-1/k3s.log",
                        k * 7L + e.line())));
            }
        }
        // Kept as events, these pods took 1 218 bytes each (measured on the join before finished
        // pods were compacted); the finished form (lifecycle bytes and one timer) measured 235 as
        // a map by UID, 221 as one array per key, 193 with a TTL timestamp instead of the timer.
        assertThat(harness.snapshot(1, 1).getStateSize() / pods).isLessThan(200);
    }

    @Test
    void aKeyKeepsOneTtlTimerAndAFinishedPodNone() throws Exception {
        open(false);
        List<LifecycleEvent> events = fullPod("u1");
        for (int i = 0; i < events.size() - 1; i++) {
            at(i * 1_500L); // input in several seconds
            harness.processElement1(new StreamRecord<>(events.get(i)));
        }
        assertThat(harness.numProcessingTimeTimers())
                .as("completion and the latest TTL timer")
                .isEqualTo(2);

        harness.processElement1(new StreamRecord<>(events.get(events.size() - 1)));

        assertThat(harness.numProcessingTimeTimers())
                .as("the finished pod expires by state TTL")
                .isZero();
        at((events.size() - 2) * 1_500L + TTL.toMillis() + 1_000);
        int emitted = lifecycles().size();
        harness.processElement1(new StreamRecord<>(Events.ev(Phase.DELETED, 30.0, "u1", "agent-1")));
        assertThat(lifecycles())
                .as("the pod expired without a timer: its deletion is not applied to it")
                .hasSize(emitted);
    }

    @Test
    void ttlMustOutlastTheCompletionTimeout() {
        JoinOptions batch = JoinOptions.batch(ClassifierOptions.defaults(), false);
        assertThatThrownBy(() -> batch.asStreaming(Duration.ofMinutes(5), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--state-ttl (PT5M) must be at least a second longer than --completion-timeout (PT5M)");
    }

    @Test
    void podWithTimesBeyondTheFinishedFormKeepsItsEvents() throws Exception {
        open(false);
        List<LifecycleEvent> events = fullPod("u1").stream()
                .map(e -> Events.withTime(e, e.time().minus(Duration.ofDays(365L * 430))))
                .toList();
        feed(events.subList(0, events.size() - 1));
        int joining = harness.numKeyedStateEntries();

        harness.processElement1(new StreamRecord<>(events.get(events.size() - 1)));

        assertThat(lifecycles().get(lifecycles().size() - 1).ready())
                .isEqualTo(events.get(events.size() - 1).time());
        assertThat(harness.numKeyedStateEntries())
                .as("not reduced to the finished form")
                .isGreaterThanOrEqualTo(joining);
    }

    @Test
    void eventWithoutUidJoinsTheFinishedPodThatExistedAtItsTime() throws Exception {
        openWithPodFinishedAt0();
        feed(fullPod("u2").stream()
                .map(e -> Events.withTime(e, e.time().plusSeconds(100)))
                .toList());
        int emitted = lifecycles().size();

        // An older-format line without UID at t=100.5: the second pod's ContainerStarted again.
        harness.processElement1(new StreamRecord<>(
                Events.ev(Phase.CONTAINER_STARTED, 100.5, null, "agent-1", Origin.EVENT_LOG, "aes")));

        assertThat(lifecycles()).hasSize(emitted + 1);
        assertThat(lifecycles().get(emitted).uid()).isEqualTo("u2");
        assertThat(lifecycles().get(emitted).duplicates()).isEqualTo(1);
        at(TIMEOUT.toMillis() + 2_000);
        assertThat(lifecycles()).as("no pod of its own, complete or not").hasSize(emitted + 1);
        assertThat(counts())
                .filteredOn(c -> c.name().equals("pods_incomplete"))
                .extracting(Count::delta)
                .containsOnly(0L);
    }

    @Test
    void phaseArrivingAfterThePodFinishedIsCountedNotApplied() throws Exception {
        open(false);
        List<LifecycleEvent> withoutSeen =
                fullPod("u1").stream().filter(e -> e.phase() != Phase.SEEN).toList();
        feed(withoutSeen);
        int emittedBefore = lifecycles().size();

        harness.processElement1(new StreamRecord<>(Events.ev(Phase.SEEN, 0.050, "u1", "agent-1")));

        assertThat(lifecycles()).hasSize(emittedBefore);
        assertThat(counts()).contains(new Count("late_events", 1));
    }

    @Test
    void newUidUnderAFinishedNameIsJoinedAsANewPod() throws Exception {
        open(false);
        feed(fullPod("u1"));
        feed(fullPod("u2"));

        assertThat(lifecycles()).extracting(PodLifecycle::uid).contains("u1", "u2");
        PodLifecycle second = lifecycles().get(lifecycles().size() - 1);
        assertThat(second.uid()).isEqualTo("u2");
        assertThat(second.complete()).isTrue();
        assertThat(second.duplicates()).isZero();
        assertThat(counts())
                .as("counted as a second pod")
                .filteredOn(c -> c.name().equals("pods_complete"))
                .extracting(Count::delta)
                .containsExactly(1L, 1L);
    }

    @Test
    void lateEventsOfTwoFinishedPodsOfOneNameEachUpdateTheirOwn() throws Exception {
        open(false);
        feed(fullPod("u1"));
        feed(fullPod("u2").stream()
                .map(e -> Events.withTime(e, e.time().plusSeconds(100)))
                .toList());
        int emitted = lifecycles().size();

        harness.processElement1(new StreamRecord<>(Events.ev(Phase.DELETED, 30.0, "u1", "agent-1")));
        harness.processElement1(new StreamRecord<>(Events.ev(Phase.READY, 100.9, "u2", "agent-1")));
        harness.processElement1(new StreamRecord<>(Events.ev(Phase.DELETED, 130.0, "u2", "agent-1")));
        harness.processElement1(new StreamRecord<>(Events.ev(Phase.READY, 0.9, "u1", "agent-1")));

        List<PodLifecycle> late = lifecycles().subList(emitted, lifecycles().size());
        assertThat(late).extracting(PodLifecycle::uid).containsExactly("u1", "u2", "u2", "u1");
        assertThat(late.get(0).deleted()).isEqualTo(Events.at(30.0));
        assertThat(late.get(1).duplicates()).as("u2's PodReady again").isEqualTo(1);
        assertThat(late.get(1).deleted()).as("u1's deletion is not u2's").isNull();
        assertThat(late.get(2).deleted()).isEqualTo(Events.at(130.0));
        assertThat(late.get(2).duplicates()).as("kept across u2's two updates").isEqualTo(1);
        assertThat(late.get(3).deleted()).as("kept across u2's updates").isEqualTo(Events.at(30.0));
        assertThat(late.get(3).duplicates()).isEqualTo(1);
        assertThat(late).allMatch(PodLifecycle::complete);
    }

    @Test
    void aCheckpointFromBeforeTheTtlRestoresWithoutItsFinishedPods() throws Exception {
        // The join's finished pods before 2026-12-07: the same state name, without TTL.
        KeyedTwoInputStreamOperatorTestHarness<String, LifecycleEvent, PodMetadata, PodLifecycle> before =
                keyedByPod(new FinishedPodsWithoutTtl());
        before.open();
        before.processElement1(new StreamRecord<>(fullPod("u1").get(0)));
        OperatorSubtaskState checkpoint = before.snapshot(1, 1);
        before.close();

        harness = join(ClassifierOptions.defaults(), false);
        harness.initializeState(checkpoint);
        harness.open();
        at(2_000); // the restored TTL timer fires and finds nothing to clear
        feed(fullPod("u2"));

        assertThat(lifecycles()).extracting(PodLifecycle::uid).contains("u2");
    }

    /** Keeps a finished-pods value and a TTL timer per key as the join did before its state had a TTL. */
    private static final class FinishedPodsWithoutTtl
            extends KeyedCoProcessFunction<String, LifecycleEvent, PodMetadata, PodLifecycle> {
        private transient ValueState<byte[]> finished;

        @Override
        public void open(OpenContext context) {
            finished = getRuntimeContext()
                    .getState(new ValueStateDescriptor<>(
                            "finished-pods", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement1(LifecycleEvent event, Context ctx, Collector<PodLifecycle> out) throws Exception {
            finished.update(new byte[] {1});
            ctx.timerService().registerProcessingTimeTimer(1_000); // its TTL timer
        }

        @Override
        public void processElement2(PodMetadata pod, Context ctx, Collector<PodLifecycle> out) {}
    }

    private void feed(List<LifecycleEvent> events) throws Exception {
        for (LifecycleEvent e : events) {
            harness.processElement1(new StreamRecord<>(e));
        }
    }

    private List<PodLifecycle> lifecycles() {
        return harness.extractOutputValues();
    }

    private List<Sample> samples() {
        ConcurrentLinkedQueue<StreamRecord<Sample>> side = harness.getSideOutput(LifecycleJoinFunction.SAMPLES);
        return side == null
                ? List.of()
                : side.stream().map(StreamRecord::getValue).toList();
    }

    private List<Count> counts() {
        ConcurrentLinkedQueue<StreamRecord<Count>> side = harness.getSideOutput(LifecycleJoinFunction.COUNTS);
        return side == null
                ? List.of()
                : side.stream().map(StreamRecord::getValue).toList();
    }
}
