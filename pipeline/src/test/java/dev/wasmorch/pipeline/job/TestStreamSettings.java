package dev.wasmorch.pipeline.job;

import dev.wasmorch.pipeline.join.ClassifierOptions;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.parse.ParserOptions;
import dev.wasmorch.pipeline.sink.postgres.JdbcTarget;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import dev.wasmorch.pipeline.source.TailOptions;
import dev.wasmorch.pipeline.stats.window.Lateness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The streaming job's settings with {@code wasmorch stream}'s defaults (completion timeout 5 min,
 * state TTL 1 h, statistics every 10 s), following one directory, without a metadata source.
 */
public final class TestStreamSettings {

    private TestStreamSettings() {}

    /**
     * @param metadataExpected as with {@code --kube}: pods wait for metadata before they are written
     * @param job              the label of the job's counters
     */
    public static StreamingAnalysis.Settings following(
            Path dir, JdbcTarget target, boolean metadataExpected, String job) {
        return new StreamingAnalysis.Settings(
                TailOptions.of(List.of(dir.toString())),
                null,
                null,
                ParserOptions.defaults(),
                JoinOptions.batch(ClassifierOptions.defaults(), metadataExpected)
                        .asStreaming(Duration.ofMinutes(5), Duration.ofHours(1)),
                Duration.ofSeconds(10),
                Lateness.defaults(),
                new PostgresOutput(target, PostgresOutput.Settings.defaults(job)));
    }
}
