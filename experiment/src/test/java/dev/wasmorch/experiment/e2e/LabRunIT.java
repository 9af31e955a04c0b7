package dev.wasmorch.experiment.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.experiment.catalog.CatalogReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CI test of issue 14: the real CLI ({@code bin/wasmorch lab run}) on a real private containerd
 * through CRI, all nine functions on both runtimes, then the analyzer's reports; and the same CLI
 * killed mid-run. Needs root, containerd, runc, the CNI plugins and hey ({@code bin/setup-test-env});
 * skips visibly otherwise. Slow (minutes): it is the product's one end-to-end run. An integration
 * test (failsafe, after package), so the CLI runs the jar the build just made instead of building
 * it again under the running tests.
 */
class LabRunIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static List<String> functions;

    @TempDir
    Path dir;

    @BeforeAll
    static void available() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")), "lab run needs root (a private containerd): skipped");
        for (String exe : List.of("containerd", "ctr", "runc", "hey")) {
            assumeTrue(onPath(exe), exe + " is not installed (bin/setup-test-env): skipped");
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")), "CNI plugins are not installed: skipped");
        functions = CatalogReader.read(ROOT.resolve("functions/catalog.json")).names();
    }

    @Test
    void aQuickLocalRunMeasuresEveryFunctionOnBothRuntimesAndWritesTheReports() throws Exception {
        Path out = dir.resolve("out");
        Run run = start(
                "run",
                "--quick",
                "--backend",
                "local",
                "--out",
                out.toString(),
                "--work",
                dir.resolve("work").toString());

        int code = run.await(Duration.ofMinutes(40));

        assertThat(code).as(run.tail()).isZero();
        JsonNode meta = json(out.resolve("run.json"));
        assertThat(meta.get("complete").asBoolean()).isTrue();
        assertThat(meta.at("/backend/pods_left").asText()).isEqualTo("0");
        JsonNode pods = json(out.resolve("pods.json")).get("items");
        String log = Files.readString(out.resolve("lifecycle/local-node.log"));
        // every pod accounted for: asked for, logged from creation to deletion, removed
        assertThat(meta.at("/counts/pods").asLong()).isEqualTo(pods.size());
        assertThat(meta.at("/counts/pods_removed").asLong()).isEqualTo(pods.size());
        for (JsonNode pod : pods) {
            String name = pod.at("/metadata/name").asText();
            assertThat(log).contains("event=PodCreated ns=wasmorch-lab pod=" + name + " ");
            assertThat(log).contains("event=PodDeleted ns=wasmorch-lab pod=" + name + " ");
        }
        long ready = meta.at("/counts/pods_ready").asLong();
        assertThat(ready).as("ready pods; failures:\n" + failures(out)).isEqualTo(9 * 2 * 2 + 9 * 2 + 9 * 2);
        // the analyzer's instantiation tables: both runtimes for every function
        assertThat(instantiationRows(out.resolve("analysis/lifecycle/stats.csv"), "scheduled_to_started"))
                .isEqualTo(expectedRows());
        assertThat(instantiationRows(out.resolve("analysis/study/stats.csv"), "created_to_started"))
                .isEqualTo(expectedRows());
        assertThat(out.resolve("analysis/lifecycle/report.html")).isNotEmptyFile();
        assertThat(out.resolve("analysis/study/report.html")).isNotEmptyFile();
        assertThat(Files.readAllLines(out.resolve("image-sizes.csv"))).hasSize(1 + 18);
        assertNothingLeft(dir.resolve("work"));
    }

    /** lab run, and lab stream, whose shutdown hook stops its streaming job with the pods. */
    @ParameterizedTest
    @ValueSource(strings = {"run", "stream"})
    void aRunKilledMidRunLeavesNoPodOfItsOwn(String command) throws Exception {
        String db = "lab_kill_" + UUID.randomUUID().toString().replace("-", "");
        if (command.equals("stream")) {
            sql("postgres", "CREATE DATABASE " + db);
        }
        try {
            killMidRun(
                    command,
                    command.equals("stream")
                            ? List.of("--", "--jdbc-url", POSTGRES + db, "--jdbc-user", "postgres")
                            : List.of());
        } finally {
            sql("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private void killMidRun(String command, List<String> jobOptions) throws Exception {
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of(
                command,
                "--backend",
                "local",
                "--functions",
                "aes,matmul",
                "--scenarios",
                "instantiation",
                "--repetitions",
                "50",
                "--no-report",
                "--out",
                out.toString(),
                "--work",
                dir.resolve("work").toString()));
        args.addAll(jobOptions);
        Run run = start(args.toArray(String[]::new));
        run.awaitOutput("[instantiation 5/", Duration.ofMinutes(15));

        run.process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs the shutdown hook
        int code = run.await(Duration.ofMinutes(2));

        assertThat(code).as(run.tail()).isNotZero();
        JsonNode meta = json(out.resolve("run.json"));
        assertThat(meta.get("complete").asBoolean()).isFalse();
        assertThat(meta.get("interruption").asText()).contains("signal");
        assertThat(meta.at("/backend/pods_left").asText()).isEqualTo("0");
        JsonNode pods = json(out.resolve("pods.json")).get("items");
        assertThat(pods.size()).isGreaterThanOrEqualTo(4);
        String log = Files.readString(out.resolve("lifecycle/local-node.log"));
        for (JsonNode pod : pods) {
            assertThat(log)
                    .contains("event=PodDeleted ns=wasmorch-lab pod="
                            + pod.at("/metadata/name").asText() + " ");
        }
        assertNothingLeft(dir.resolve("work"));
        assertNothingLeft(out);
    }

    /** The machine's PostgreSQL (trust auth), where each streamed run gets a database of its own. */
    static final String POSTGRES = System.getProperty("wasmorch.test.pg", "jdbc:postgresql://127.0.0.1:5432/");

    @Test
    void aStreamedRunFillsPostgresqlWhileThePodsStart() throws Exception {
        String db = "lab_stream_" + UUID.randomUUID().toString().replace("-", "");
        sql("postgres", "CREATE DATABASE " + db);
        try {
            Path out = dir.resolve("out");
            List<String> args = new ArrayList<>(List.of(("stream --backend local --functions aes,matmul"
                            + " --scenarios instantiation,serial --repetitions 3 --duration 2s --no-report")
                    .split(" ")));
            args.addAll(List.of(
                    "--out", out.toString(), "--work", dir.resolve("work").toString()));
            // the job's own options, after --
            args.addAll(List.of("--", "--jdbc-url", POSTGRES + db, "--jdbc-user", "postgres"));
            Run run = start(args.toArray(String[]::new));
            run.awaitOutput("[instantiation 6/", Duration.ofMinutes(15));
            // live: the first pods are in PostgreSQL while the run goes on
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (rows(db, "SELECT count(*) FROM pod_lifecycles WHERE complete")
                            .get(0)
                            .equals("0")
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(rows(db, "SELECT count(*) FROM pod_lifecycles WHERE complete")
                            .get(0))
                    .as("rows within 60 s of the sixth pod")
                    .isNotEqualTo("0");
            assertThat(run.process().isAlive()).as("the run had not ended then").isTrue();

            int code = run.await(Duration.ofMinutes(20));

            assertThat(code).as(run.tail()).isZero();
            // every pod of the run, named by function and scenario from its name (no metadata on this node)
            assertThat(rows(
                            db,
                            "SELECT scenario || '/' || function || '/' || runtime || ' ' || count(*)"
                                    + " FROM pod_lifecycles WHERE complete GROUP BY scenario, function, runtime"))
                    .containsExactlyInAnyOrder(
                            "instantiation/aes/wasm 3",
                            "instantiation/aes/container 3",
                            "instantiation/matmul/wasm 3",
                            "instantiation/matmul/container 3",
                            "serial/aes/wasm 1",
                            "serial/aes/container 1",
                            "serial/matmul/wasm 1",
                            "serial/matmul/container 1");
            assertThat(rows(
                            db,
                            "SELECT function || '/' || runtime || ' ' || n FROM summary_stats"
                                    + " WHERE scenario = 'instantiation' AND metric = 'scheduled_to_started'"))
                    .containsExactlyInAnyOrder("aes/wasm 3", "aes/container 3", "matmul/wasm 3", "matmul/container 3");
            assertNothingLeft(dir.resolve("work"));
            assertNothingLeft(out);
        } finally {
            sql("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private static void sql(String db, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES + db, "postgres", null);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The first column of a query's rows, as text. */
    private static List<String> rows(String db, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(POSTGRES + db, "postgres", null);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return List.of("0"); // the job has not created its tables yet
            }
            throw e;
        }
        return rows;
    }

    /** No process of the run's node (containerd, shims, runc containers; the streaming job) and no mount under its dir. */
    private static void assertNothingLeft(Path work) throws IOException {
        List<String> processes = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmd.contains(work.toString())) {
                        processes.add(p.getFileName() + ": " + cmd);
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        assertThat(processes).as("processes of the run's node").isEmpty();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                        .filter(l -> l.contains(" " + work + "/") || l.contains(" " + work + " ")))
                .as("mounts under the run's node")
                .isEmpty();
    }

    private static Set<String> expectedRows() {
        Set<String> rows = new TreeSet<>();
        for (String f : functions) {
            rows.add(f + "/wasm");
            rows.add(f + "/container");
        }
        return rows;
    }

    /** function/runtime of the stats.csv rows of scenario instantiation and the metric, with n > 0. */
    private static Set<String> instantiationRows(Path statsCsv, String metric) throws IOException {
        List<String> lines = Files.readAllLines(statsCsv);
        assertThat(lines.get(0)).startsWith("scenario,function,runtime,metric,n,");
        Set<String> rows = new TreeSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            if (c[0].equals("instantiation") && c[3].equals(metric) && Long.parseLong(c[4]) > 0) {
                rows.add(c[1] + "/" + c[2]);
            }
        }
        return rows;
    }

    private static String failures(Path out) throws IOException {
        Path f = out.resolve("failures.csv");
        return Files.exists(f) ? Files.readString(f) : "(none)";
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    /** bin/wasmorch lab ARGS, its output in a file; Maven's local repository passed on to the builds it may run. */
    private Run start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/wasmorch").toString(), "lab"));
        cmd.addAll(List.of(args));
        Path output = dir.resolve("lab.log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isEmpty()) {
            pb.environment().put("MAVEN_OPTS", "-Dmaven.repo.local=" + repo);
        }
        return new Run(pb.start(), output);
    }

    private record Run(Process process, Path output) {
        int await(Duration bound) throws InterruptedException {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
                throw new AssertionError("lab run did not end within " + bound + ":\n" + tail());
            }
            return process.exitValue();
        }

        void awaitOutput(String text, Duration bound) throws Exception {
            long end = System.nanoTime() + bound.toNanos();
            while (!Files.readString(output).contains(text)) {
                if (!process.isAlive() || System.nanoTime() > end) {
                    throw new AssertionError("no '" + text + "' in the output:\n" + tail());
                }
                Thread.sleep(200);
            }
        }

        String tail() {
            try {
                String s = Files.readString(output);
                return s.length() <= 6000 ? s : "…" + s.substring(s.length() - 6000);
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }
    }

    private static boolean onPath(String exe) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, exe)));
    }
}
