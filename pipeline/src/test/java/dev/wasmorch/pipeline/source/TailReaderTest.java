package dev.wasmorch.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.RawLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reader on real files: append, partial lines, both rotations, checkpoint and restore. */
class TailReaderTest {

    @TempDir
    Path dir;

    private static final TailOptions FAST = TailOptions.of(List.of("unused"))
            .withIntervals(Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofHours(1));

    private static TailReader reader(LineFilter filter, TailOptions options) {
        return new TailReader(options, filter);
    }

    private static TailReader reader() {
        return reader(LineFilter.all(), FAST);
    }

    /** Polls until the reader has had nothing to read a few times in a row (rotation needs two). */
    private static void drain(TailReader r, CollectingOutput out) throws Exception {
        int idle = 0;
        while (idle < 3) {
            if (r.pollNext(out) == InputStatus.NOTHING_AVAILABLE) {
                idle++;
                r.isAvailable().get();
            } else {
                idle = 0;
            }
        }
    }

    private static void append(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static TailSplit split(Path f) throws IOException {
        return TailSplit.fromStart(f.toString(), FileIdentity.keyOf(f));
    }

    @Test
    void followsAppendedLinesAndNeverEmitsAPartialLine() throws Exception {
        Path f = dir.resolve("k3s.log");
        append(f, "a\nb\r\nc");
        try (TailReader r = reader()) {
            r.addSplits(List.of(split(f)));
            CollectingOutput out = new CollectingOutput();
            drain(r, out);
            assertThat(out.texts()).containsExactly("a", "b");
            append(f, "-continued\nd\n");
            drain(r, out);
            assertThat(out.texts()).containsExactly("a", "b", "c-continued", "d");
            assertThat(out.lines).extracting(RawLine::line).containsExactly(1L, 2L, 3L, 4L);
            assertThat(out.lines).allSatisfy(l -> assertThat(l.file()).isEqualTo(f.toString()));
        }
    }

    @Test
    void renameRotationReadsTheOldFileToItsEndThenTheNewOne() throws Exception {
        Path f = dir.resolve("k3s.log");
        append(f, "1\n2\n");
        try (TailReader r = reader()) {
            r.addSplits(List.of(split(f)));
            CollectingOutput out = new CollectingOutput();
            drain(r, out);
            append(f, "3\n4-unterminated");
            Files.move(f, dir.resolve("k3s.log.1"));
            append(f, "new-1\n");
            drain(r, out);
            // the old file is finished (its unterminated last line is whole now: nobody writes it)
            assertThat(out.texts()).containsExactly("1", "2", "3", "4-unterminated");
            assertThat(r.snapshotState(1)).isEmpty();
            r.addSplits(List.of(split(f))); // what the enumerator hands out for the new file
            drain(r, out);
            assertThat(out.texts()).containsExactly("1", "2", "3", "4-unterminated", "new-1");
        }
    }

    /** Shorter new content is seen by the size; longer, written between two polls, by the fingerprint. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"old-1\\nold-2\\nold-3\\n | new-1\\n", "old-1\\n | new-1 longer than before\\nnew-2\\n"})
    void copyTruncateRotationRestartsAtTheStart(String before, String after) throws Exception {
        before = before.replace("\\n", "\n");
        after = after.replace("\\n", "\n");
        Path f = dir.resolve("k3s.log");
        append(f, before);
        try (TailReader r = reader()) {
            r.addSplits(List.of(split(f)));
            CollectingOutput out = new CollectingOutput();
            drain(r, out);
            Files.writeString(f, after, StandardOpenOption.TRUNCATE_EXISTING);
            drain(r, out);
            List<String> expected = new ArrayList<>(List.of(before.split("\n")));
            expected.addAll(List.of(after.split("\n")));
            assertThat(out.texts()).isEqualTo(expected);
            assertThat(out.lines.get(before.split("\n").length).line()).isEqualTo(1);
        }
    }

    @Test
    void copyTruncateTakesTheLinesItHadNotReadFromTheCopyOnce() throws Exception {
        Path f = dir.resolve("k3s.log");
        String head = IntStream.range(0, 5)
                .mapToObj(i -> "I1126 21:24:0" + i + ".000000    1234 lifecycle.go:57] line " + i + "\n")
                .reduce("", String::concat);
        append(f, head);
        try (TailReader r = reader()) {
            r.addSplits(List.of(split(f)));
            CollectingOutput out = new CollectingOutput();
            drain(r, out);
            // written after the last poll, then logrotate's copytruncate: copy, truncate, new lines
            append(f, "late-1\nlate-2-unterminated");
            Files.copy(f, dir.resolve("k3s.log.1"));
            Files.writeString(f, "new-1\n", StandardOpenOption.TRUNCATE_EXISTING);
            drain(r, out);

            List<String> expected = new ArrayList<>(List.of(head.split("\n")));
            expected.addAll(List.of("late-1", "late-2-unterminated", "new-1"));
            assertThat(out.texts()).isEqualTo(expected);
            assertThat(out.lines).extracting(RawLine::line).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 1L);
            assertThat(out.lines).allSatisfy(l -> assertThat(l.file()).isEqualTo(f.toString()));
        }
    }

    @Test
    void restoreFromACheckpointNeitherLosesNorRepeatsALine() throws Exception {
        Path f = dir.resolve("k3s.log");
        List<String> all =
                IntStream.rangeClosed(1, 100_000).mapToObj(i -> "line-" + i).toList();
        // the file ends in the middle of line-60001 when the job starts
        append(f, String.join("\n", all.subList(0, 60_000)) + "\nline-600");
        CollectingOutput beforeCheckpoint = new CollectingOutput();
        List<TailSplit> checkpoint;
        try (TailReader r = reader()) {
            r.addSplits(List.of(split(f)));
            // stop in the middle of the file: one chunk at a time
            r.pollNext(beforeCheckpoint);
            r.pollNext(beforeCheckpoint);
            checkpoint = r.snapshotState(7);
            // emitted after the checkpoint, then the job fails: these must come again
            r.pollNext(new CollectingOutput());
        }
        assertThat(beforeCheckpoint.lines).isNotEmpty().hasSizeLessThan(60_000);
        append(f, "01\n" + String.join("\n", all.subList(60_001, 100_000)) + "\n");
        List<TailSplit> restored = new ArrayList<>();
        for (TailSplit s : checkpoint) {
            restored.add(TailSplitSerializer.INSTANCE.deserialize(1, TailSplitSerializer.INSTANCE.serialize(s)));
        }
        CollectingOutput afterRestore = new CollectingOutput();
        try (TailReader r = reader()) {
            r.addSplits(restored);
            drain(r, afterRestore);
        }
        List<String> seen = new ArrayList<>(beforeCheckpoint.texts());
        seen.addAll(afterRestore.texts());
        assertThat(seen).isEqualTo(all);
        assertThat(afterRestore.lines.get(afterRestore.lines.size() - 1).line()).isEqualTo(100_000);
    }

    @Test
    void restoreFindsAFileRotatedWhileTheJobWasDown() throws Exception {
        Path f = dir.resolve("k3s.log");
        List<String> texts = readStopChangeRestore(f, "1\n", () -> {
            append(f, "2\n");
            Files.move(f, dir.resolve("k3s.log.1"));
            append(f, "other file\n");
        });
        assertThat(texts).containsExactly("1", "2");
    }

    @Test
    void restoreRereadsAFileTruncatedWhileTheJobWasDown() throws Exception {
        Path f = dir.resolve("k3s.log");
        List<String> texts = readStopChangeRestore(
                f,
                "old-1\nold-2\n",
                () -> Files.writeString(
                        f, "new-1 is longer than both old lines\n", StandardOpenOption.TRUNCATE_EXISTING));
        assertThat(texts).containsExactly("old-1", "old-2", "new-1 is longer than both old lines");
    }

    /** A change to the files between a checkpoint and the restore. */
    private interface WhileDown {
        void run() throws IOException;
    }

    /** Reads {@code content}, checkpoints, stops, changes the files, restores and reads on. */
    private List<String> readStopChangeRestore(Path f, String content, WhileDown change) throws Exception {
        append(f, content);
        List<TailSplit> checkpoint;
        CollectingOutput out = new CollectingOutput();
        try (TailReader r = reader()) {
            r.addSplits(List.of(split(f)));
            drain(r, out);
            checkpoint = r.snapshotState(1);
        }
        change.run();
        try (TailReader r = reader()) {
            r.addSplits(checkpoint);
            drain(r, out);
        }
        return out.texts();
    }

    @Test
    void filteredLinesAreStillCountedExactlyAcrossARestore() throws Exception {
        Path f = dir.resolve("k3s.log");
        append(f, "keep 1\nskip\nskip\nkeep 2\n");
        LineFilter keep = (b, from, to) -> to - from >= 4 && b[from] == 'k';
        TailOptions progressAlways = FAST.withIntervals(Duration.ofMillis(10), Duration.ofMillis(1), Duration.ZERO);
        CollectingOutput out = new CollectingOutput();
        List<TailSplit> checkpoint;
        try (TailReader r = reader(keep, progressAlways)) {
            r.addSplits(List.of(split(f)));
            drain(r, out);
            append(f, "skip\n");
            r.pollNext(out); // reads the line; its count is not reported yet...
            checkpoint = r.snapshotState(3); // ...but the checkpoint remembers it is unreported
        }
        append(f, "keep 3\n");
        try (TailReader r = reader(keep, progressAlways)) {
            r.addSplits(checkpoint);
            drain(r, out);
        }
        assertThat(out.texts()).containsExactly("keep 1", "keep 2", "keep 3");
        assertThat(out.linesCounted()).isEqualTo(6);
    }

    @Test
    void overlongLinesAreCutNotBuffered() throws Exception {
        Path f = dir.resolve("k3s.log");
        append(f, "x".repeat(200_000) + "\nnext\n");
        TailOptions small = new TailOptions(
                List.of("unused"), Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofHours(1), 100);
        CollectingOutput out = new CollectingOutput();
        try (TailReader r = reader(LineFilter.all(), small)) {
            r.addSplits(List.of(split(f)));
            drain(r, out);
            assertThat(out.texts()).containsExactly("x".repeat(100), "next");
            assertThat(r.snapshotState(1).get(0).offset()).isEqualTo(200_000 + 1 + 5);
        }
    }

    @Test
    void enumeratorStateSurvivesItsSerializer() throws Exception {
        TailEnumeratorState state = new TailEnumeratorState(
                java.util.Map.of("(dev=1,ino=2)", "/var/log/a.log"),
                List.of(new TailSplit("/var/log/b.log", "(dev=1,ino=3)", 10, 2, 1, 99, 10)));
        byte[] bytes = TailEnumeratorStateSerializer.INSTANCE.serialize(state);
        assertThat(TailEnumeratorStateSerializer.INSTANCE.deserialize(1, bytes)).isEqualTo(state);
    }
}
