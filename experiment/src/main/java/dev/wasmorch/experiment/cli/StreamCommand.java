package dev.wasmorch.experiment.cli;

import dev.wasmorch.experiment.results.Layout;
import dev.wasmorch.experiment.run.PodNames;
import dev.wasmorch.experiment.stream.StreamJob;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code lab stream}: {@code lab run} while the analyzer's streaming job follows the run's lifecycle
 * log into PostgreSQL, so that the Grafana dashboards fill as the pods start. The job's own options
 * come after {@code --} and go to it unchanged, so that it, not a copy of its options here, checks them.
 */
@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        description = {
            "The same run as lab run, while the analyzer's streaming job (wasmorch stream)",
            "follows OUT/lifecycle into PostgreSQL: the Grafana dashboards fill as the pods",
            "start. The job runs with parallelism 1 beside the pods it measures; for",
            "benchmark numbers use lab run. Example:",
            "  lab stream --quick --out lab-out -- --jdbc-url jdbc:postgresql://127.0.0.1/wasmorch"
        })
final class StreamCommand extends RunCommand {

    /** A first use builds the analyzer (a minute or more on a loaded machine) before the job starts. */
    private static final Duration START = Duration.ofMinutes(10);

    /** How often the job refreshes its statistics here, and so how long it gets after the last pod. */
    private static final Duration STATS_EVERY = Duration.ofSeconds(5);

    /** Its sinks flush every 100 ms; one more statistics refresh, and a margin for a loaded machine. */
    private static final Duration DRAIN = STATS_EVERY.plusSeconds(3);

    /** What lab stream gives the job itself. */
    private static final List<String> SET_HERE =
            List.of("--logs", "--name-pattern", "--kube", "--parallelism", "--stats-every");

    @Parameters(
            paramLabel = "-- STREAM-OPTION",
            description = {
                "After --: options of wasmorch stream (see wasmorch stream --help), at least",
                "--jdbc-url URL; e.g. --jdbc-user lab, --checkpoint-dir D. The password comes",
                "from $WASMORCH_JDBC_PASSWORD or $PGPASSWORD. lab stream sets --logs,",
                "--name-pattern, --kube, --parallelism and --stats-every itself."
            })
    List<String> job = List.of();

    @Override
    StreamJob companion(Layout layout) throws IOException, InterruptedException {
        if (job.stream().noneMatch(o -> o.equals("--jdbc-url") || o.startsWith("--jdbc-url="))) {
            throw new IllegalArgumentException("lab stream needs the job's --jdbc-url after --, e.g. -- --jdbc-url"
                    + " jdbc:postgresql://127.0.0.1:5432/wasmorch");
        }
        for (String o : job) {
            if (SET_HERE.contains(o.split("=", 2)[0])) {
                throw new IllegalArgumentException(
                        "after --: " + o + " is set by lab stream itself (" + SET_HERE + ")");
            }
        }
        List<String> command = new ArrayList<>(List.of(analyzer(), "stream"));
        command.addAll(List.of(
                "--logs",
                layout.lifecycleDir().toString(),
                "--parallelism",
                "1",
                "--stats-every",
                STATS_EVERY.toString()));
        for (String pattern : PodNames.namePatterns()) {
            command.addAll(List.of("--name-pattern", pattern));
        }
        boolean cluster = backend.equals("kubernetes");
        if (cluster) {
            command.addAll(kubernetes.streamArguments(layout.root().resolve("pods-archive.jsonl")));
        }
        command.addAll(job);
        Files.createDirectories(layout.lifecycleDir());
        System.err.println("wasmorch lab: starting the streaming job (its output: "
                + layout.root().resolve("stream.log") + ")");
        return StreamJob.start(
                command,
                cluster ? kubernetes.streamEnvironment() : Map.of(),
                layout.root().resolve("stream.log"),
                START,
                DRAIN,
                System.err);
    }
}
