package dev.wasmorch.experiment.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job's process as lab stream drives it, with shell scripts in the analyzer's place:
 * started once it says it follows, stopped by SIGTERM, and every way it can fail named with its output.
 */
@Timeout(60)
class StreamJobTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    /** An analyzer stand-in: BODY runs with $MARK, a file it may write; SIGTERM writes "stopped" into it. */
    private List<String> analyzer(String body) throws IOException {
        Path script = dir.resolve("analyzer.sh");
        Files.writeString(script, """
                #!/bin/sh
                trap 'echo stopped >> "$MARK"; exit 0' TERM
                echo "args: $*" >> "$MARK"
                %s
                """.formatted(body));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return List.of(script.toString(), "stream", "--logs", "x");
    }

    /** Starts BODY with a 30 s bound and a 300 ms drain. */
    private StreamJob start(String body) throws Exception {
        return start(body, Duration.ofSeconds(30), Duration.ofMillis(300));
    }

    private StreamJob start(String body, Duration bound, Duration drain) throws Exception {
        return StreamJob.start(
                analyzer(body),
                Map.of("MARK", mark().toString()),
                dir.resolve("stream.log"),
                bound,
                drain,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    private Path mark() {
        return dir.resolve("mark");
    }

    @Test
    void startsOnceTheJobFollowsAndStopsItWithSigtermAfterTheDrain() throws Exception {
        StreamJob job = start("""
                echo "starting Flink"
                sleep 0.3
                echo "wasmorch stream: following [x], writing to db; checkpoints in memory only. Ctrl-C stops."
                while true; do sleep 0.1; done
                """);
        assertThat(Files.readString(mark())).isEqualTo("args: stream --logs x\n");

        job.finish();

        assertThat(Files.readString(mark())).endsWith("stopped\n");
        assertThat(Files.readString(dir.resolve("stream.log"))).startsWith("starting Flink\n");
        job.close(); // again, as the Ctrl-C hook may after the normal end
    }

    @Test
    void aJobThatEndsBeforeFollowingIsReportedWithItsExitCodeAndOutput() {
        assertThatThrownBy(() -> start("echo 'connection to 127.0.0.1:5432 refused'; exit 3"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the streaming job ended with exit code 3 before it followed the logs")
                .hasMessageContaining("connection to 127.0.0.1:5432 refused");
    }

    @Test
    void aJobThatRefusesItsOptionsIsUnusableInput() {
        assertThatThrownBy(() -> start("echo 'Unknown option: --jdbc-urll'; exit 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the streaming job refused its options (exit code 2)")
                .hasMessageContaining("Unknown option: --jdbc-urll");
    }

    @Test
    void aJobThatEndsDuringTheRunFailsTheFinish() throws Exception {
        StreamJob job = start(
                "echo 'wasmorch stream: following [x]'; sleep 0.2; echo 'schema is newer'; exit 4",
                Duration.ofSeconds(30),
                Duration.ofSeconds(20));

        assertThatThrownBy(() -> job.finish())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the streaming job ended early with exit code 4")
                .hasMessageContaining("schema is newer");
    }

    @Test
    void aSilentJobIsStoppedAfterTheBound() throws Exception {
        assertThatThrownBy(() -> start("while true; do sleep 0.1; done", Duration.ofSeconds(1), Duration.ofMillis(300)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the streaming job did not follow the logs within 1 s");
        assertThat(Files.readString(mark())).as("stopped by SIGTERM").endsWith("stopped\n");
    }

    @Test
    void outputThatIsNotUtf8IsShownNotFatal() {
        assertThatThrownBy(() -> start("printf 'bad \\377\\376 bytes\\n'; exit 5"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exit code 5")
                .hasMessageContaining("bad \uFFFD\uFFFD bytes");
    }
}
