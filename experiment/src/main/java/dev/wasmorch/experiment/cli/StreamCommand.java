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
import picocli.CommandLine.Option;

/**
 * {@code lab stream}: {@code lab run} while the analyzer's streaming job follows the run's lifecycle
 * log into PostgreSQL, so that the Grafana dashboards fill as the pods start.
 */
@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        description = {
            "The same run as lab run, while the analyzer's streaming job (wasmorch stream) follows OUT/lifecycle",
            "into PostgreSQL: the Grafana dashboards (dashboards/) fill as the pods start. The job runs with",
            "parallelism 1 and shares the machine with the pods it measures: for benchmark numbers use lab run."
        })
final class StreamCommand extends RunCommand {

    /** A first use builds the analyzer (a minute or more on a loaded machine) before the job starts. */
    private static final Duration START = Duration.ofMinutes(10);

    @Option(
            names = "--jdbc-url",
            required = true,
            paramLabel = "URL",
            description = "Where the job writes, e.g. jdbc:postgresql://127.0.0.1:5432/wasmorch (password from"
                    + " $WASMORCH_JDBC_PASSWORD or $PGPASSWORD).")
    String jdbcUrl;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "The database user.")
    String jdbcUser;

    @Option(
            names = "--job-name",
            defaultValue = "wasmorch-lab",
            paramLabel = "NAME",
            description = "Label of the run's counters in job_counters (default: ${DEFAULT-VALUE}).")
    String jobName;

    @Override
    StreamJob companion(Layout layout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(analyzer(), "stream"));
        command.addAll(List.of("--logs", layout.lifecycleDir().toString(), "--jdbc-url", jdbcUrl));
        if (jdbcUser != null) {
            command.addAll(List.of("--jdbc-user", jdbcUser));
        }
        command.addAll(List.of("--job-name", jobName, "--parallelism", "1", "--stats-every", "PT5S"));
        for (String pattern : PodNames.namePatterns()) {
            command.addAll(List.of("--name-pattern", pattern));
        }
        boolean cluster = backend.equals("kubernetes");
        if (cluster) {
            command.addAll(kubernetes.streamArguments(layout.root().resolve("pods-archive.jsonl")));
        }
        Files.createDirectories(layout.lifecycleDir());
        // the URL's parameters may hold credentials: the console shows the database only
        System.err.println("wasmorch lab: starting the streaming job into " + jdbcUrl.replaceFirst("[?;].*", ""));
        return StreamJob.start(
                command,
                cluster ? kubernetes.streamEnvironment() : Map.of(),
                layout.root().resolve("stream.log"),
                START,
                System.err);
    }
}
