package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.job.JitWarmUp;
import dev.wasmorch.pipeline.job.StateBackend;
import dev.wasmorch.pipeline.job.StreamingAnalysis;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.metadata.PodWatchOptions;
import dev.wasmorch.pipeline.sink.postgres.PostgresOutput;
import dev.wasmorch.pipeline.source.InputSpool;
import dev.wasmorch.pipeline.source.TailOptions;
import dev.wasmorch.pipeline.stats.window.Lateness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code wasmorch stream}: the continuous analyzer writing to PostgreSQL. */
@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        description = {
            "Live analysis into PostgreSQL, beside a running cluster.",
            "Follows growing pod-lifecycle logs (new files, rotation) with live pod metadata and keeps",
            "PostgreSQL up to date: pod lifecycles, statistics, comparisons, per-minute windows, counters.",
            "Runs until stopped (Ctrl-C); with --checkpoint-dir a later run continues where it stopped (--restore)."
        })
final class StreamCommand implements Callable<Integer> {

    @Option(
            names = "--logs",
            required = true,
            arity = "1..*",
            paramLabel = "PATH",
            description = {
                "Log files or directories to follow (directories: every file, new ones too; not .gz).",
                "'-' reads standard input (journalctl -u k3s -o json -f | wasmorch stream --logs - ...), a named",
                "pipe is read as it is written; both are kept in --spool-dir for the job to follow."
            })
    List<String> logs;

    @Option(
            names = "--spool-dir",
            paramLabel = "DIR",
            defaultValue = "wasmorch-spool",
            description = "Where standard input and named pipes are kept: up to " + SPOOL_FILES + " rotated files of "
                    + SPOOL_FILE_MIB + " MiB each per input (default: ${DEFAULT-VALUE}).")
    Path spoolDir;

    static final int SPOOL_FILES = 8;
    static final int SPOOL_FILE_MIB = 64;

    /** The same choice as for analyze: live from the API or a snapshot. */
    @ArgGroup(exclusive = true)
    AnalyzeCommand.MetadataSource metadata;

    @Mixin
    KubeSelection selection;

    @Option(
            names = "--archive",
            paramLabel = "FILE",
            defaultValue = "pods-archive.jsonl",
            description =
                    "With --kube: JSON-lines archive of every pod seen, for later batch runs (default: ${DEFAULT-VALUE}).")
    Path archive;

    @Mixin
    JdbcOptions jdbc;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description = "Where checkpoints are kept (retained on cancel); without it state lives in memory only.")
    Path checkpointDir;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            defaultValue = "PT10S",
            description = "Checkpoint interval, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(
            names = "--state-backend",
            paramLabel = "BACKEND",
            defaultValue = "hashmap",
            description = "hashmap (state on the heap, each checkpoint copies it all) or rocksdb (on local disk,"
                    + " incremental checkpoints: for large --state-ttl or high pod rates) (default: ${DEFAULT-VALUE}).",
            converter = StateBackendConverter.class)
    StateBackend stateBackend;

    @Option(
            names = "--restore",
            paramLabel = "CHECKPOINT",
            description = "Continue from a retained checkpoint (DIR/<job-id>/chk-N) or savepoint.")
    Path restore;

    @Option(
            names = "--completion-timeout",
            paramLabel = "DURATION",
            defaultValue = "PT5M",
            description =
                    "An incomplete pod is written as incomplete this long after its first event (default: ${DEFAULT-VALUE}).")
    Duration completionTimeout;

    @Option(
            names = "--state-ttl",
            paramLabel = "DURATION",
            defaultValue = "PT1H",
            description = "A pod's join state is dropped this long after its last input; at least a second longer than"
                    + " --completion-timeout (default: ${DEFAULT-VALUE}).")
    Duration stateTtl;

    @Option(
            names = "--stats-every",
            paramLabel = "DURATION",
            defaultValue = "PT10S",
            description = "How often statistics and comparisons are refreshed (default: ${DEFAULT-VALUE}).")
    Duration statsEvery;

    @Option(
            names = "--jit-warm-up-pods",
            paramLabel = "N",
            defaultValue = "" + JitWarmUp.DEFAULT_PODS,
            description = {
                "Before following the logs, run the job once over N synthetic pods into temporary tables that",
                "vanish, so the JIT has compiled it before the first real line; 0 starts cold, and the first",
                "half-minute's lines then wait seconds at high rates (default: ${DEFAULT-VALUE})."
            })
    int jitWarmUpPods;

    @Mixin
    AnalysisOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!jdbc.given()) {
            throw new ParameterException(spec.commandLine(), "wasmorch stream needs --jdbc-url (where the results go)");
        }
        JoinOptions join;
        try {
            join = options.join(metadata != null).asStreaming(completionTimeout, stateTtl);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (jitWarmUpPods < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--jit-warm-up-pods must be 0 (no warm-up) or more, was " + jitWarmUpPods);
        }
        PostgresOutput output = jdbc.output(System.getenv());
        Configuration conf = configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(options.parallelism());
        boolean kube = metadata != null && metadata.kube;
        List<String> inputs = followedInputs(() -> System.in);
        StreamingAnalysis.Settings settings = new StreamingAnalysis.Settings(
                TailOptions.of(inputs),
                kube ? PodWatchOptions.of(selection.namespace, selection.selector, archive.toString()) : null,
                metadata == null ? null : metadata.podsFile,
                options.parser(),
                join,
                statsEvery,
                Lateness.defaults(),
                output);
        StreamingAnalysis.build(env, settings);
        if (jitWarmUpPods > 0) {
            warmUp(conf, env, settings);
        }
        System.err.printf(
                "wasmorch stream: following %s, writing to %s; checkpoints %s. Ctrl-C stops.%n",
                inputs, jdbc.target(System.getenv()), checkpointDir == null ? "in memory only" : "in " + checkpointDir);
        env.execute(jdbc.jobName);
        return 0;
    }

    /** The JIT warm-up before the job (settings built, schema migrated); lines written meanwhile are read after it. */
    private void warmUp(Configuration conf, StreamExecutionEnvironment env, StreamingAnalysis.Settings settings) {
        if (!(env instanceof LocalStreamEnvironment)) {
            // Under `flink run` the job runs in the cluster's TaskManagers, whose JIT a job run
            // from here warms only if the cluster puts it in the same JVMs, and `flink run -d`
            // would not even wait for it.
            System.err.println("wasmorch stream: on a Flink cluster: no JIT warm-up");
            return;
        }
        System.err.printf(
                "wasmorch stream: warming up the JIT with %d synthetic pods (into temporary tables)...%n",
                jitWarmUpPods);
        JitWarmUp.runOrReport(conf, options.parallelism(), settings, jitWarmUpPods, System.err)
                .ifPresent(
                        took -> System.err.printf("wasmorch stream: warm-up done in %.1f s%n", took.toMillis() / 1e3));
    }

    /**
     * The paths the tailing source follows: {@code -} (standard input) and named pipes cannot be read
     * by position, so each is copied into the spool directory, which is followed instead.
     */
    /** Spool names taken so far (a spool file is NAME.log). */
    private final Set<String> spoolNames = new HashSet<>();

    List<String> followedInputs(InputSpool.Opener stdin) throws IOException {
        List<String> followed = new ArrayList<>();
        boolean spooled = false;
        for (String log : logs) {
            Path path = Path.of(log);
            if (log.equals("-")) {
                spool(stdin, false, "stdin");
            } else if (Files.exists(path)
                    && Files.readAttributes(path, BasicFileAttributes.class).isOther()) {
                spool(() -> Files.newInputStream(path), true, path.getFileName().toString());
            } else {
                followed.add(log);
                continue;
            }
            spooled = true;
        }
        if (spooled) {
            followed.add(spoolDir.toString());
        }
        return followed;
    }

    private void spool(InputSpool.Opener input, boolean reopen, String name) throws IOException {
        if (!spoolNames.add(name)) {
            // Two copiers appending to and rotating one file would interleave and lose lines.
            throw new ParameterException(
                    spec.commandLine(),
                    "--logs: two inputs would share the spool file " + spoolDir.resolve(name + ".log")
                            + " (standard input is \"stdin\"); give the pipes different names");
        }
        new InputSpool(input, reopen, spoolDir, name, (long) SPOOL_FILE_MIB << 20, SPOOL_FILES).start();
    }

    /** {@code hashmap} or {@code rocksdb}, as Flink's state.backend.type spells them. */
    static final class StateBackendConverter implements CommandLine.ITypeConverter<StateBackend> {
        @Override
        public StateBackend convert(String value) {
            for (StateBackend b : StateBackend.values()) {
                if (b.name().equalsIgnoreCase(value)) {
                    return b;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "': expected hashmap or rocksdb");
        }
    }

    Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        stateBackend.configure(conf);
        if (checkpointDir != null) {
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    checkpointDir.toAbsolutePath().toUri().toString());
            conf.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (restore != null) {
            conf.set(
                    StateRecoveryOptions.SAVEPOINT_PATH,
                    restore.toAbsolutePath().toUri().toString());
        }
        return conf;
    }
}
