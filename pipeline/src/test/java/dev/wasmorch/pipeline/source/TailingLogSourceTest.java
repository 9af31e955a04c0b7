package dev.wasmorch.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.RawLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole source in a local Flink cluster: enumerator discovery plus readers on two subtasks. */
class TailingLogSourceTest {

    @TempDir
    Path dir;

    @Test
    void followsExistingGrowingNewAndRotatedFilesInADirectory() throws Exception {
        Path a = dir.resolve("node-a.log");
        Files.writeString(a, "a1\na2\n");
        Files.writeString(dir.resolve("old.log.2.gz"), "compressed rotations are not followed\n");
        TailOptions options = TailOptions.of(List.of(dir.toString()))
                .withIntervals(Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(100));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<String> seen = new ArrayList<>();
        long counted = 0;
        try (CloseableIterator<RawLine> it = env.fromSource(
                        new TailingLogSource(options, LineFilter.all()), WatermarkStrategy.noWatermarks(), "tail")
                .executeAndCollect("tail-test")) {
            counted += take(it, seen, 2);
            append(a, "a3\n");
            counted += take(it, seen, 1);
            append(dir.resolve("node-b.log"), "b1\n");
            counted += take(it, seen, 1);
            append(a, "a4\n");
            Files.move(a, dir.resolve("node-a.log.1"));
            append(a, "a-new-1\n");
            counted += take(it, seen, 2);
            while (counted < 6) { // the progress records count every line, in their own time
                RawLine r = it.next();
                counted += r.endOfFile() ? r.linesRead() : 0;
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("a1", "a2", "a3", "b1", "a4", "a-new-1");
        assertThat(seen.subList(0, 4)).containsExactly("a1", "a2", "a3", "b1");
        assertThat(counted).isEqualTo(6);
    }

    @Test
    void aCopyTruncateCopyIsNotReadAgainAndItsUnreadLinesAreReadOnce() throws Exception {
        Path a = dir.resolve("k3s.log");
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            head.append("I1126 21:24:0")
                    .append(i)
                    .append(".000000    1234 lifecycle.go:57] old-")
                    .append(i)
                    .append('\n');
        }
        Files.writeString(a, head);
        TailOptions options = TailOptions.of(List.of(dir.toString()))
                .withIntervals(Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<String> seen = new ArrayList<>();
        try (CloseableIterator<RawLine> it = env.fromSource(
                        new TailingLogSource(options, LineFilter.all()), WatermarkStrategy.noWatermarks(), "tail")
                .executeAndCollect("copytruncate-test")) {
            take(it, seen, 4);
            append(a, "late-1\n");
            Files.copy(a, dir.resolve("k3s.log.1"));
            Files.writeString(a, "new-1\n", StandardOpenOption.TRUNCATE_EXISTING);
            take(it, seen, 2);
            // several discovery rounds: a copy handed out as a new file would be read by now
            Thread.sleep(500);
            append(a, "sentinel\n");
            take(it, seen, 1);
        }
        assertThat(seen)
                .containsExactly(
                        "I1126 21:24:00.000000    1234 lifecycle.go:57] old-0",
                        "I1126 21:24:01.000000    1234 lifecycle.go:57] old-1",
                        "I1126 21:24:02.000000    1234 lifecycle.go:57] old-2",
                        "I1126 21:24:03.000000    1234 lifecycle.go:57] old-3",
                        "late-1",
                        "new-1",
                        "sentinel");
    }

    /** Takes {@code n} lines (skipping progress records) and returns the lines the progress records counted. */
    private static long take(CloseableIterator<RawLine> it, List<String> seen, int n) {
        long counted = 0;
        int got = 0;
        while (got < n) {
            RawLine r = it.next();
            if (r.endOfFile()) {
                counted += r.linesRead();
            } else {
                seen.add(r.text());
                got++;
            }
        }
        return counted;
    }

    private static void append(Path f, String s) throws java.io.IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
