package dev.wasmorch.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.pipeline.job.JitWarmUp;
import dev.wasmorch.pipeline.sink.postgres.JdbcTarget;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code wasmorch stream}'s flags: checkpoints, restore, credentials (the job itself: StreamingAnalysisTest). */
class StreamCommandTest {

    @Test
    void checkpointFlagsBecomeFlinkConfiguration() {
        StreamCommand cmd = parse(
                "--logs",
                "/var/log/k3s",
                "--kube",
                "--jdbc-url",
                "jdbc:postgresql://db/w",
                "--checkpoint-dir",
                "/tmp/cp",
                "--checkpoint-interval",
                "PT30S",
                "--restore",
                "/tmp/cp/j/chk-7");
        Configuration conf = cmd.configuration();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(Path.of("/tmp/cp").toUri().toString());
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH))
                .isEqualTo(Path.of("/tmp/cp/j/chk-7").toUri().toString());
        assertThat(cmd.metadata.kube).isTrue();
    }

    @Test
    void stateBackendFlagSetsTheBackendAndIncrementalCheckpoints() {
        Configuration byDefault = parse("--logs", "x").configuration();
        assertThat(byDefault.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(byDefault.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();

        Configuration rocks = parse("--logs", "x", "--state-backend", "rocksdb").configuration();
        assertThat(rocks.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(rocks.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();

        assertThatThrownBy(() -> parse("--logs", "x", "--state-backend", "memory"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--state-backend")
                .hasMessageContaining("expected hashmap or rocksdb");
    }

    @Test
    void credentialsComeFromFlagsThenEnvironmentAndThePasswordIsNeverShown() {
        StreamCommand cmd = parse("--logs", "x", "--jdbc-url", "jdbc:postgresql://db/w", "--jdbc-user", "writer");
        JdbcTarget t = cmd.jdbc.target(Map.of("WASMORCH_JDBC_USER", "ignored", "WASMORCH_JDBC_PASSWORD", "s3cret"));
        assertThat(t.user()).isEqualTo("writer");
        assertThat(t.password()).isEqualTo("s3cret");
        assertThat(t.toString()).doesNotContain("s3cret");
        assertThat(parse("--logs", "x", "--jdbc-url", "jdbc:postgresql://db/w")
                        .jdbc
                        .target(Map.of("PGUSER", "pg"))
                        .user())
                .isEqualTo("pg");
    }

    @Test
    void refusesMissingOrForeignDatabasesAndPasswordFlags() {
        StreamCommand noUrl = parse("--logs", "x");
        assertThatThrownBy(noUrl::call)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--jdbc-url");
        assertThatThrownBy(() -> parse("--logs", "x", "--jdbc-url", "jdbc:mysql://db/w")
                        .jdbc
                        .target(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PostgreSQL JDBC URL");
        assertThatThrownBy(() -> parse("--logs", "x", "--jdbc-url", "jdbc:postgresql://db/w", "--jdbc-password", "p"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
        StreamCommand shortTtl = parse("--logs", "x", "--jdbc-url", "jdbc:postgresql://db/w", "--state-ttl", "PT1M");
        assertThatThrownBy(shortTtl::call)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--state-ttl (PT1M) must be at least a second longer than --completion-timeout (PT5M)");
        assertThatThrownBy(() -> parse("--logs", "x", "--jdbc-url", "jdbc:postgresql://db/w", "--kube", "--pods", "f"))
                .isInstanceOf(CommandLine.MutuallyExclusiveArgsException.class);
    }

    @Test
    void theJitWarmUpIsOnByDefaultAndANegativePodCountIsRefused() {
        assertThat(parse("--logs", "x").jitWarmUpPods).isEqualTo(JitWarmUp.DEFAULT_PODS);
        assertThat(parse("--logs", "x", "--jit-warm-up-pods", "0").jitWarmUpPods)
                .isZero();
        StreamCommand negative =
                parse("--logs", "x", "--jdbc-url", "jdbc:postgresql://db/w", "--jit-warm-up-pods", "-5");
        assertThatThrownBy(negative::call)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--jit-warm-up-pods must be 0 (no warm-up) or more, was -5");
    }

    @Test
    void standardInputAndNamedPipesAreFollowedThroughTheSpoolDirectory(@TempDir Path tmp) throws Exception {
        Path fifo = tmp.resolve("agent-1.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        Path spool = tmp.resolve("spool");
        StreamCommand cmd = parse(
                "--logs",
                "-",
                "/var/log/k3s",
                fifo.toString(),
                "--spool-dir",
                spool.toString(),
                "--jdbc-url",
                "jdbc:postgresql://db/w");
        String journal = "{\"MESSAGE\":\"WASMORCH-LIFECYCLE/1 ts=2026-11-26T21:24:00Z event=PodCreated\"}\n";
        List<String> inputs =
                cmd.followedInputs(() -> new ByteArrayInputStream(journal.getBytes(StandardCharsets.UTF_8)));

        assertThat(inputs).containsExactly("/var/log/k3s", spool.toString());
        Files.writeString(fifo, "from the pipe\n");
        awaitContent(spool.resolve("stdin.log"), journal);
        awaitContent(spool.resolve("agent-1.fifo.log"), "from the pipe\n");
    }

    @Test
    void pipesOfOneNameAreRefusedRatherThanSharingASpoolFile(@TempDir Path tmp) throws Exception {
        for (String dir : List.of("a", "b")) {
            Files.createDirectories(tmp.resolve(dir));
            assertThat(new ProcessBuilder(
                                    "mkfifo",
                                    tmp.resolve(dir).resolve("k3s.fifo").toString())
                            .start()
                            .waitFor())
                    .isZero();
        }
        StreamCommand cmd = parse(
                "--logs",
                tmp.resolve("a/k3s.fifo").toString(),
                tmp.resolve("b/k3s.fifo").toString(),
                "--spool-dir",
                tmp.resolve("spool").toString(),
                "--jdbc-url",
                "jdbc:postgresql://db/w");

        assertThatThrownBy(() -> cmd.followedInputs(() -> InputStream.nullInputStream()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("two inputs would share the spool file " + tmp.resolve("spool/k3s.fifo.log"));
    }

    private static void awaitContent(Path file, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(file) && Files.readString(file).equals(expected))) {
            assertThat(System.nanoTime()).as("%s holds %s", file, expected).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static StreamCommand parse(String... args) {
        StreamCommand cmd = new StreamCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }
}
