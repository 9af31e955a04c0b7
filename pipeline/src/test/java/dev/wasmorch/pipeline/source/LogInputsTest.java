package dev.wasmorch.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogInputsTest {

    @TempDir
    Path dir;

    @Test
    void expandsDirectoriesRecursivelySortedWithoutDuplicatesOrHiddenFiles() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs/agent-1"));
        Files.writeString(dir.resolve("logs/server.log"), "x");
        Files.writeString(logs.resolve("syslog.2.gz"), "x");
        Files.writeString(logs.resolve("syslog"), "x");
        Files.writeString(logs.resolve(".swp"), "x");
        Files.writeString(dir.resolve("_first.log"), "x");
        List<Path> files = LogInputs.resolve(List.of(
                dir.resolve("logs").toString(),
                dir.resolve("_first.log").toString(),
                logs.resolve("syslog").toString()));
        assertThat(files)
                .containsExactly(
                        dir.resolve("_first.log"),
                        logs.resolve("syslog"),
                        logs.resolve("syslog.2.gz"),
                        dir.resolve("logs/server.log"));
    }

    @Test
    void missingOrEmptyInputIsNamed() {
        String missing = dir.resolve("nope.log").toString();
        assertThatThrownBy(() -> LogInputs.resolve(List.of(missing)))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(missing);
        assertThatThrownBy(() -> LogInputs.resolve(List.of())).isInstanceOf(InputException.class);
    }

    @Test
    void unreadableFileIsNamed() throws Exception {
        Path f = Files.writeString(dir.resolve("secret.log"), "x");
        assertThat(f.toFile().setReadable(false, false)).isTrue();
        assumeFalse(Files.isReadable(f), "running as root: every file is readable");
        assertThatThrownBy(() -> LogInputs.resolve(List.of(f.toString()))).hasMessageContaining("secret.log");
    }
}
