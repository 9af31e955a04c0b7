package dev.wasmorch.experiment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node logs: real processes and files, each bounded in time and size, their text untrusted. */
class NodeLogsTest {

    @TempDir
    Path dir;

    private final NodeLogs logs = new NodeLogs(Duration.ofSeconds(10), 1000);

    @Test
    void aCommandRunsWithoutAShellAndItsOutputIsCopiedAsItIs() throws Exception {
        // a shell would expand these; an argument vector passes them as they are
        List<String> problems = logs.collect(List.of(LogSource.parse("n1=cmd:echo $HOME `id` ; {since}")), dir, 42);
        assertThat(problems).isEmpty();
        assertThat(Files.readString(dir.resolve("n1.log"))).isEqualTo("$HOME `id` ; @42\n");
    }

    @Test
    void aFileIsCopiedAndOneFailingSourceDoesNotStopTheOthers() throws Exception {
        Path journal = Files.writeString(dir.resolve("journal.json"), "{\"MESSAGE\":\"\\u001b[2J\"}\n");
        Path out = dir.resolve("lifecycle");
        List<String> problems = logs.collect(
                List.of(
                        LogSource.parse("gone=file:" + dir.resolve("nope")),
                        LogSource.parse("missing=cmd:/nonexistent/journalctl -o json"),
                        LogSource.parse("j=file:" + journal)),
                out,
                0);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("node log gone: ").endsWith("is not a readable regular file");
        assertThat(problems.get(1)).startsWith("node log missing: ").contains("/nonexistent/journalctl");
        assertThat(Files.readString(out.resolve("j.log"))).isEqualTo(Files.readString(journal));
    }

    @Test
    void aFailingCommandIsReportedWithAPrintableTailOfItsStandardError() throws Exception {
        List<String> problems = logs.collect(
                List.of(new LogSource(
                        "n1", List.of("sh", "-c", "printf 'ok\\n'; printf '\\033[2Jdenied\\n' >&2; exit 3"), null)),
                dir,
                0);
        assertThat(problems).singleElement().asString().isEqualTo("node log n1: sh exited with 3: ?[2Jdenied");
        // what it wrote before failing is kept
        assertThat(Files.readString(dir.resolve("n1.log"))).isEqualTo("ok\n");
    }

    @Test
    void aSlowCommandIsStoppedAtTheTimeoutAndARunawayOneAtTheSizeLimit() throws Exception {
        NodeLogs quick = new NodeLogs(Duration.ofMillis(300), 1000);
        long t0 = System.nanoTime();
        List<String> slow = quick.collect(List.of(LogSource.parse("s=cmd:sleep 30")), dir, 0);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(slow)
                .singleElement()
                .asString()
                .contains("sleep took more than 300 ms (--node-log-timeout); stopped");

        List<String> big = logs.collect(List.of(LogSource.parse("y=cmd:yes wasmorch")), dir, 0);
        assertThat(big).singleElement().asString().isEqualTo("node log y: cut at 1000 bytes (--node-log-max-bytes)");
        assertThat(Files.size(dir.resolve("y.log"))).isEqualTo(1000);

        Path large = Files.writeString(dir.resolve("large"), "x".repeat(5000));
        List<String> file = logs.collect(List.of(LogSource.parse("f=file:" + large)), dir, 0);
        assertThat(file).singleElement().asString().contains("cut at 1000 bytes");
        assertThat(Files.size(dir.resolve("f.log"))).isEqualTo(1000);
    }

    @Test
    void sourcesAreRefusedWhenTheyCouldNameAnotherFileOrAreNotCommandOrFile() {
        assertThatThrownBy(() -> LogSource.parse("../x=file:/etc/hosts"))
                .hasMessageContaining("node-log source name '../x'");
        assertThatThrownBy(() -> LogSource.parse(".hidden=file:/etc/hosts"))
                .hasMessageContaining("starting alphanumeric");
        assertThatThrownBy(() -> LogSource.parse("n=ssh node1 journalctl"))
                .hasMessageContaining("after NAME= comes cmd:ARGS or file:PATH");
        assertThatThrownBy(() -> LogSource.parse("n=cmd:  ")).hasMessageContaining("empty command");
        assertThatThrownBy(() -> LogSource.parse("journalctl")).hasMessageContaining("is not NAME=cmd:ARGS");
        assertThat(LogSource.parse("n1=cmd:ssh node1 journalctl -u k3s -o json --since {since}")
                        .argv(7))
                .containsExactly("ssh", "node1", "journalctl", "-u", "k3s", "-o", "json", "--since", "@7");
    }
}
