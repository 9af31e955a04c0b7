package dev.wasmorch.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.model.Reject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The operator on Flink's test harness: events out, rejects and counters on side outputs. */
class ParseLogLinesTest {

    private static OneInputStreamOperatorTestHarness<RawLine, LifecycleEvent> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new ParseLogLines(ParserOptions.defaults()));
    }

    private static List<Count> counts(OneInputStreamOperatorTestHarness<RawLine, LifecycleEvent> h) {
        return h.getSideOutput(ParseLogLines.COUNTS) == null
                ? List.of()
                : h.getSideOutput(ParseLogLines.COUNTS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    private static Map<String, Long> sums(List<Count> counts) {
        return counts.stream().collect(Collectors.groupingBy(Count::name, Collectors.summingLong(Count::delta)));
    }

    @Test
    void eventsRejectsAndCountsFlushedAtEndOfFile() throws Exception {
        try (var h = harness()) {
            h.processElement(RawLine.of("a.log", 3, Lines.NATIVE_SCHEDULED, Lines.MTIME), 0);
            h.processElement(RawLine.of("a.log", 9, Lines.KUBELET_STARTUP, Lines.MTIME), 0);
            h.processElement(RawLine.of("a.log", 12, "WASMORCH-LIFECYCLE/1 ts=nope", Lines.MTIME), 0);
            h.processElement(RawLine.of("a.log", 13, "x Event occurred but not klog", Lines.MTIME), 0);
            assertThat(counts(h)).as("nothing before the end of the file").isEmpty();
            h.processElement(RawLine.endOf("a.log", 40, Lines.MTIME), 0);

            assertThat(h.extractOutputValues()).hasSize(3);
            List<Reject> rejects = h.getSideOutput(ParseLogLines.REJECTS).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(rejects).singleElement().satisfies(r -> {
                assertThat(r.file()).isEqualTo("a.log");
                assertThat(r.line()).isEqualTo(12);
                assertThat(r.reason()).isEqualTo("bad_timestamp");
            });
            assertThat(sums(counts(h)))
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of("lines_read", 40L, "lines_matched", 4L, "events", 3L, "rejected:bad_timestamp", 1L));
        }
    }

    @Test
    void flushesEveryTenThousandMatchedLinesNotPerLine() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 25_000; i++) {
                h.processElement(RawLine.of("b.log", i + 1, Lines.NATIVE_SCHEDULED, Lines.MTIME), 0);
            }
            List<Count> c = counts(h);
            assertThat(c)
                    .filteredOn(x -> x.name().equals("lines_matched"))
                    .extracting(Count::delta)
                    .containsExactly(10_000L, 10_000L);
            assertThat(c).hasSize(4);
        }
    }

    @Test
    void pendingCountsSurviveACheckpointRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.processElement(RawLine.of("c.log", 1, Lines.NATIVE_SCHEDULED, Lines.MTIME), 0);
            h.processElement(RawLine.of("c.log", 2, "WASMORCH-LIFECYCLE/1 bad", Lines.MTIME), 0);
            snapshot = h.snapshot(1L, 1L);
        }
        OneInputStreamOperatorTestHarness<RawLine, LifecycleEvent> restored =
                new OneInputStreamOperatorTestHarness<>(new org.apache.flink.streaming.api.operators.ProcessOperator<>(
                        new ParseLogLines(ParserOptions.defaults())));
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement(RawLine.endOf("c.log", 5, Lines.MTIME), 0);
        assertThat(sums(counts(restored)))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("lines_read", 5L, "lines_matched", 2L, "events", 1L, "rejected:bad_syntax", 1L));
        restored.close();
    }
}
