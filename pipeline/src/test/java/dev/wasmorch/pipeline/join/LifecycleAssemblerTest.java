package dev.wasmorch.pipeline.join;

import static dev.wasmorch.pipeline.join.Events.at;
import static dev.wasmorch.pipeline.join.Events.ev;
import static dev.wasmorch.pipeline.join.Events.fullPod;
import static dev.wasmorch.pipeline.join.Events.meta;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.Origin;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Runtime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LifecycleAssemblerTest {

    private final LifecycleAssembler assembler =
            new LifecycleAssembler(JoinOptions.batch(ClassifierOptions.defaults(), true));

    private static final PodMetadata WASM =
            meta("u1", "wasmorch", Map.of("app", "aes"), Map.of(), "ReplicaSet", "aes-7d9c5b8f6");

    @Test
    void computesEveryIntervalOfACompletePod() {
        PodLifecycle p = single(assembler.assemble(fullPod("u1"), List.of(WASM)));

        assertThat(p.complete()).isTrue();
        assertThat(p.flags()).isEmpty();
        assertThat(p.runtime()).isEqualTo(Runtime.WASM);
        assertThat(p.function()).isEqualTo("aes");
        assertThat(p.scenario()).isEqualTo("instantiation");
        assertThat(p.node()).isEqualTo("agent-1");
        assertThat(p.seconds(Metric.CREATED_TO_SCHEDULED)).isEqualTo(0.010);
        assertThat(p.seconds(Metric.SCHEDULED_TO_STARTED)).isEqualTo(0.820);
        assertThat(p.seconds(Metric.SCHEDULED_TO_READY)).isEqualTo(0.890);
        assertThat(p.seconds(Metric.CREATED_TO_READY)).isEqualTo(0.900);
        assertThat(p.seconds(Metric.CREATED_TO_STARTED)).isEqualTo(0.830);
        assertThat(p.seconds(Metric.SEEN_TO_STARTED)).isEqualTo(0.780);
    }

    @Test
    void resultDoesNotDependOnEventOrder() {
        PodLifecycle expected = single(assembler.assemble(fullPod("u1"), List.of(WASM)));
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            List<LifecycleEvent> shuffled = new ArrayList<>(fullPod("u1"));
            shuffled.add(ev(Phase.CONTAINER_STARTED, 0.831, "u1", "agent-1", Origin.NATIVE_EVENT, "aes"));
            Collections.shuffle(shuffled, random);
            PodLifecycle p = single(assembler.assemble(shuffled, List.of(WASM)));
            assertThat(p.containerStarted()).isEqualTo(expected.containerStarted());
            assertThat(p.duplicates()).isEqualTo(1);
        }
    }

    @Test
    void bestSourceWinsThenEarliestAndTheRestAreDuplicates() {
        List<LifecycleEvent> events = new ArrayList<>(fullPod("u1"));
        // A recorded Event earlier than the hook still loses to the hook: the hook is the better clock.
        events.add(ev(Phase.CONTAINER_STARTED, 0.700, "u1", "agent-1", Origin.NATIVE_EVENT, "aes"));
        events.add(ev(Phase.CONTAINER_STARTED, 0.900, "u1", "agent-1", Origin.NATIVE, "aes"));
        events.add(ev(Phase.SCHEDULED, 0.011, "u1", "server"));

        PodLifecycle p = single(assembler.assemble(events, List.of(WASM)));

        assertThat(p.containerStarted()).isEqualTo(at(0.830));
        assertThat(p.scheduled()).isEqualTo(at(0.010));
        assertThat(p.duplicates()).isEqualTo(3);
    }

    @Test
    void firstContainerStartOfAMultiContainerPodIsNotADuplicate() {
        List<LifecycleEvent> events = new ArrayList<>(fullPod("u1"));
        events.add(ev(Phase.CONTAINER_STARTED, 0.950, "u1", "agent-1", Origin.NATIVE, "sidecar"));

        PodLifecycle p = single(assembler.assemble(events, List.of(WASM)));

        assertThat(p.duplicates()).isZero();
        assertThat(p.containerStarted()).isEqualTo(at(0.830));
    }

    @Test
    void missingPhasesAreReportedAsIncompleteNotDropped() {
        List<LifecycleEvent> events = List.of(ev(Phase.SCHEDULED, 0.010, "u1", "server"));

        PodLifecycle p = single(assembler.assemble(events, List.of(WASM)));

        assertThat(p.complete()).isFalse();
        assertThat(p.flags()).contains("incomplete", "missing:PodCreated", "missing:ContainerStarted");
        assertThat(p.seconds(Metric.SCHEDULED_TO_STARTED)).isNull();
    }

    @Test
    void clockSkewGivesANegativeFlaggedIntervalAndKeepsTheNodeLocalOne() {
        List<LifecycleEvent> events = List.of(
                ev(Phase.CREATED, 0.0, "u1", "server"),
                ev(Phase.SCHEDULED, 1.000, "u1", "server"),
                ev(Phase.SEEN, 0.100, "u1", "agent-1"), // agent clock ~1.2 s behind
                ev(Phase.CONTAINER_STARTED, 0.900, "u1", "agent-1"));

        PodLifecycle p = single(assembler.assemble(events, List.of(WASM)));

        assertThat(p.seconds(Metric.SCHEDULED_TO_STARTED)).isEqualTo(-0.1);
        assertThat(p.flags()).contains("negative_interval:scheduled_to_started");
        assertThat(p.isFlagged(Metric.SCHEDULED_TO_STARTED)).isTrue();
        assertThat(p.seconds(Metric.SEEN_TO_STARTED)).isEqualTo(0.8);
        assertThat(p.isFlagged(Metric.SEEN_TO_STARTED)).isFalse();
    }

    @Test
    void implausiblyLongIntervalsAreFlagged() {
        List<LifecycleEvent> events = List.of(
                ev(Phase.CREATED, 0.0, "u1", "server"),
                ev(Phase.SCHEDULED, 0.01, "u1", "server"),
                ev(Phase.CONTAINER_STARTED, 3600, "u1", "agent-1"));

        PodLifecycle p = single(assembler.assemble(events, List.of(WASM)));

        assertThat(p.flags()).contains("implausible_interval:scheduled_to_started");
    }

    @Test
    void reusedPodNamesAreSeparatedByUidAndUidlessEventsJoinTheRightPod() {
        List<LifecycleEvent> events = new ArrayList<>(fullPod("u1"));
        for (LifecycleEvent e : fullPod("u2")) {
            events.add(Events.withTime(e, e.time().plusSeconds(100)));
        }
        // An older-format event without UID at t=100.5 belongs to the second pod.
        events.add(ev(Phase.CONTAINER_STARTED, 100.5, null, "agent-1", Origin.EVENT_LOG, "aes"));

        List<PodLifecycle> pods = assembler.assemble(events, List.of(WASM));

        assertThat(pods).extracting(PodLifecycle::uid).containsExactlyInAnyOrder("u1", "u2");
        PodLifecycle second =
                pods.stream().filter(p -> p.uid().equals("u2")).findFirst().orElseThrow();
        assertThat(second.duplicates()).isEqualTo(1);
        PodLifecycle first =
                pods.stream().filter(p -> p.uid().equals("u1")).findFirst().orElseThrow();
        assertThat(first.duplicates()).isZero();
    }

    @Test
    void eventsWithoutUidJoinTheOnlyPodTheMetadataKnows() {
        List<LifecycleEvent> events = List.of(
                ev(Phase.CREATED, 0.0, null, "server", Origin.STUDY, null),
                ev(Phase.CONTAINER_STARTED, 0.82, null, "agent-1", Origin.STUDY, null));

        PodLifecycle p = single(assembler.assemble(events, List.of(WASM)));

        assertThat(p.uid()).isEqualTo("u1");
        assertThat(p.runtime()).isEqualTo(Runtime.WASM);
        assertThat(p.seconds(Metric.CREATED_TO_STARTED)).isEqualTo(0.82);
    }

    @Test
    void withoutMetadataTheHandlerClassifiesAndOtherwiseThePodIsUnclassified() {
        List<LifecycleEvent> withHandler = new ArrayList<>(fullPod("u1"));
        withHandler.set(5, Events.withHandler(withHandler.get(5), "spin"));
        LifecycleAssembler noMeta = new LifecycleAssembler(JoinOptions.batch(ClassifierOptions.defaults(), false));

        PodLifecycle classified = single(noMeta.assemble(withHandler, List.of()));
        PodLifecycle unknown = single(noMeta.assemble(fullPod("u1"), List.of()));

        assertThat(classified.runtime()).isEqualTo(Runtime.WASM);
        assertThat(classified.runtimeClass()).isEqualTo("spin");
        assertThat(classified.function()).isEqualTo("aes");
        assertThat(classified.flags()).isEmpty();
        assertThat(unknown.runtime()).isNull();
        assertThat(unknown.flags()).isEqualTo("unclassified");
    }

    @Test
    void podsMissingFromExpectedMetadataAreFlagged() {
        PodLifecycle p = single(assembler.assemble(fullPod("u1"), List.of()));

        assertThat(p.flags()).contains("no_metadata");
    }

    @Test
    void secondsPrecisionIsFlaggedButKeptInTheStatistics() {
        List<LifecycleEvent> events = new ArrayList<>(fullPod("u1"));
        events.set(0, Events.coarse(events.get(0)));

        PodLifecycle p = single(assembler.assemble(events, List.of(WASM)));

        assertThat(p.flags()).contains("seconds_precision:PodCreated", "coarse_interval:created_to_started");
        assertThat(p.isFlagged(Metric.CREATED_TO_STARTED)).isFalse();
    }

    @Test
    void metadataOnlyKeysProduceNothing() {
        assertThat(assembler.assemble(List.of(), List.of(WASM))).isEmpty();
    }

    private static PodLifecycle single(List<PodLifecycle> pods) {
        assertThat(pods).hasSize(1);
        return pods.get(0);
    }
}
