package dev.wasmorch.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.pipeline.demo.ClusterGenerator;
import dev.wasmorch.pipeline.demo.GeneratedCluster;
import dev.wasmorch.pipeline.demo.GeneratorOptions;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code -flink} job jar runs on a real Flink session cluster, and gives what the embedded run gives.
 *
 * <p>A JobManager ({@code StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner})
 * run as separate JVMs on 127.0.0.1, with the class path a Flink distribution's lib/ would hold
 * ({@code target/flink-cluster.classpath}, written by the package phase: Flink and its own dependencies, none of
 * the job's). The job is submitted as {@code flink run} does it, by {@code CliFrontend} in its own process, and
 * reads and writes a temporary directory all processes see. Its result files must equal, byte for byte, those
 * of {@code bin/wasmorch analyze} (the job on a MiniCluster in one JVM) on the same generated cluster.
 *
 * <p>A failsafe test ({@code *IT}): it needs {@code target/wasmorch-pipeline-flink.jar}, which the package phase
 * builds before integration-test.
 */
class FlinkSessionClusterIT {

    static final Path TARGET = Path.of("target");
    static final Path JOB_JAR = TARGET.resolve("wasmorch-pipeline-flink.jar");
    static final Path CLUSTER_CLASSPATH = TARGET.resolve("flink-cluster.classpath");
    /** The same parallelism for both runs: the partitioning must not be what differs. */
    static final String PARALLELISM = "2";

    static final Duration CLUSTER_START = Duration.ofSeconds(90);
    static final Duration RUN = Duration.ofSeconds(150);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;

    static int restPort;
    static Path conf;
    static String flinkClasspath;
    /** Every process started (cluster and clients), by name: stopped in {@link #stopCluster}. */
    static final Map<String, Process> processes = new LinkedHashMap<>();

    static final Map<String, Path> logs = new LinkedHashMap<>();

    /** A failed test prints every process's log: the reason is usually in the JobManager's or TaskManager's. */
    @RegisterExtension
    static final TestWatcher SHOW_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            printLogs();
        }
    };

    @BeforeAll
    static void startCluster() throws Exception {
        assertThat(JOB_JAR).as("built by the package phase").isRegularFile();
        assertThat(CLUSTER_CLASSPATH).as("written by the package phase").isRegularFile();
        flinkClasspath = Files.readString(CLUSTER_CLASSPATH).trim();
        // Jar names, not paths: a local repository's path may contain any word.
        List<String> jars = Stream.of(flinkClasspath.split(File.pathSeparator))
                .map(p -> Path.of(p).getFileName().toString())
                .toList();
        assertThat(jars)
                .as("Flink's runtime, none of the job's code or bundled libraries")
                .anyMatch(j -> j.startsWith("flink-runtime-"))
                .anyMatch(j -> j.startsWith("flink-clients-"))
                .anyMatch(j -> j.startsWith("flink-streaming-java-"))
                .noneMatch(j -> j.startsWith("wasmorch-")
                        || j.startsWith("picocli-")
                        || j.startsWith("jackson-databind-")
                        || j.startsWith("flink-connector-files-"));

        conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(conf.resolve("log4j.properties"), LOG4J);
        // A port chosen free can be taken by another process on a shared machine before the JobManager binds it;
        // then the JobManager exits with a BindException and the cluster starts again on new ports.
        for (int attempt = 1; ; attempt++) {
            restPort = freePort();
            Files.writeString(conf.resolve("config.yaml"), config(restPort, freePort()));
            try {
                start(
                        "jobmanager",
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                        "-Xmx256m");
                start("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "-Xmx320m");
                awaitSlots(2);
                return;
            } catch (Throwable e) {
                if (attempt < 3 && jobManagerLostAPort()) {
                    System.err.println("FlinkSessionClusterIT: a chosen port was taken before the JobManager bound it;"
                            + " starting the cluster again on new ports (attempt " + (attempt + 1) + ")");
                    stopProcesses();
                    processes.clear();
                    for (Path log : logs.values()) {
                        Files.deleteIfExists(log);
                    }
                    continue;
                }
                printLogs();
                throw e;
            }
        }
    }

    private static boolean jobManagerLostAPort() throws IOException {
        Path log = dir.resolve("jobmanager.log");
        return Files.exists(log) && Files.readString(log).contains("java.net.BindException");
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        stopProcesses();
        assertThat(processes.values()).noneMatch(Process::isAlive);
    }

    private static void stopProcesses() throws InterruptedException {
        // destroy() sends SIGTERM, which Flink's shutdown hooks answer by stopping cleanly; a process still
        // alive after 10 s is killed, so no JVM outlives the test run.
        processes.values().forEach(Process::destroy);
        for (Map.Entry<String, Process> p : processes.entrySet()) {
            if (!p.getValue().waitFor(10, TimeUnit.SECONDS)) {
                System.err.println("FlinkSessionClusterIT: " + p.getKey() + " ignored SIGTERM; killing it");
                p.getValue().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theJobJarOnASessionClusterWritesWhatTheEmbeddedRunWrites() throws Exception {
        // Noise and malformed lines included (one pod in 131 gets a damaged line, alternately on an agent and the
        // server), so rejects.csv and the reject counters are compared as well.
        GeneratedCluster cluster =
                new ClusterGenerator(GeneratorOptions.of(300, 0.9, 15, 3)).generate(dir.resolve("input"));
        Path embedded = dir.resolve("embedded");
        Path onCluster = dir.resolve("cluster");

        // bin/wasmorch's command: the jar and target/lib (Flink included), a MiniCluster in this one JVM.
        List<String> embeddedRun = new ArrayList<>(java("-Xmx512m"));
        embeddedRun.addAll(List.of(
                "-cp",
                TARGET.resolve("wasmorch-pipeline.jar").toAbsolutePath() + File.pathSeparator
                        + TARGET.resolve("lib").toAbsolutePath() + File.separator + "*",
                "dev.wasmorch.pipeline.cli.WasmorchCli"));
        embeddedRun.addAll(analyze(cluster, embedded));
        assertThat(run("embedded", embeddedRun, Map.of()))
                .as("embedded run's exit code")
                .isZero();

        // flink run -m 127.0.0.1:PORT wasmorch-pipeline-flink.jar analyze ...: CliFrontend with FLINK_CONF_DIR,
        // as bin/flink starts it.
        List<String> flinkRun = new ArrayList<>(java("-Xmx256m"));
        flinkRun.addAll(List.of(
                "-cp",
                flinkClasspath,
                "org.apache.flink.client.cli.CliFrontend",
                "run",
                "-m",
                "127.0.0.1:" + restPort,
                JOB_JAR.toAbsolutePath().toString()));
        flinkRun.addAll(analyze(cluster, onCluster));
        assertThat(run("flink-run", flinkRun, Map.of("FLINK_CONF_DIR", conf.toString())))
                .as("flink run's exit code")
                .isZero();

        // The job ran on the session cluster, not on a MiniCluster inside the client.
        JsonNode jobs = get("/jobs/overview").get("jobs");
        assertThat(jobs).as("jobs the JobManager ran").hasSize(1);
        assertThat(jobs.get(0).get("state").asText()).isEqualTo("FINISHED");

        // Two empty files would be identical too: every generated pod is in the embedded run's pods.csv.
        assertThat(Files.readAllLines(embedded.resolve("pods.csv"))).hasSize(1 + cluster.pods());
        // The statistics are sorted by their keys, and summary.json holds only counters (no timing, no path):
        // byte for byte.
        for (String file : List.of("stats.csv", "comparisons.csv", "summary.json")) {
            assertThat(onCluster.resolve(file))
                    .as(file + " from the cluster")
                    .hasSameBinaryContentAs(embedded.resolve(file));
        }
        // The per-pod, per-sample and per-reject files are written as their rows come from parallel subtasks:
        // Flink does not promise the order in which one writer reads several inputs (two embedded runs of the
        // same input already differ in rejects.csv), so the header and the multiset of rows must be equal.
        assertThat(cluster.malformedLines()).isGreaterThan(1);
        assertThat(Files.readAllLines(embedded.resolve("rejects.csv")))
                .as("every generated malformed line rejected")
                .hasSize(1 + (int) cluster.malformedLines());
        for (String file : List.of("pods.csv", "samples.csv", "rejects.csv")) {
            List<String> mine = Files.readAllLines(embedded.resolve(file));
            List<String> theirs = Files.readAllLines(onCluster.resolve(file));
            assertThat(theirs.get(0)).as(file + " header").isEqualTo(mine.get(0));
            assertThat(theirs).as(file + " rows").containsExactlyInAnyOrderElementsOf(mine);
        }
        assertThat(onCluster.resolve("report.html")).isNotEmptyFile();
    }

    private static List<String> analyze(GeneratedCluster cluster, Path out) {
        List<String> args = new ArrayList<>(List.of("analyze", "--logs"));
        cluster.logFiles().forEach(f -> args.add(f.toAbsolutePath().toString()));
        args.addAll(List.of(
                "--pods",
                cluster.podsJson().toAbsolutePath().toString(),
                "--parallelism",
                PARALLELISM,
                "--out",
                out.toAbsolutePath().toString()));
        return args;
    }

    /** A small session cluster for a shared 2-core machine: 2 slots, heaps of a few hundred MB, 127.0.0.1 only. */
    private static String config(int restPort, int rpcPort) {
        return String.join(
                        "\n",
                        "jobmanager.rpc.address: 127.0.0.1",
                        "jobmanager.rpc.port: " + rpcPort,
                        "jobmanager.bind-host: 127.0.0.1",
                        "jobmanager.memory.process.size: 768m",
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + restPort,
                        "taskmanager.host: 127.0.0.1",
                        "taskmanager.bind-host: 127.0.0.1",
                        "taskmanager.numberOfTaskSlots: 2",
                        // bin/taskmanager.sh passes these as dynamic properties it computed (BashJavaUtils); started
                        // directly, TaskManagerRunner needs every component of its resource spec here.
                        "taskmanager.cpu.cores: 2.0",
                        "taskmanager.memory.task.off-heap.size: 0m",
                        "taskmanager.memory.jvm-overhead.min: 128m",
                        "taskmanager.memory.jvm-overhead.max: 128m",
                        "taskmanager.memory.framework.heap.size: 64m",
                        "taskmanager.memory.task.heap.size: 192m",
                        "taskmanager.memory.managed.size: 64m",
                        "taskmanager.memory.network.min: 128m",
                        "taskmanager.memory.network.max: 128m",
                        // A batch job's blocking results take 512 buffers each by default, so 4 of them filled 64 MB of
                        // network memory ("Insufficient number of network buffers"); 128 each is plenty for this input.
                        "taskmanager.network.sort-shuffle.min-buffers: 128",
                        "taskmanager.memory.framework.off-heap.size: 64m",
                        "taskmanager.memory.jvm-metaspace.size: 192m",
                        "io.tmp.dirs: " + dir.resolve("tmp"),
                        "")
                + "\n";
    }

    /** Flink's log4j configuration with a file appender, as a distribution's conf/log4j.properties. */
    static final String LOG4J = String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = file",
            "appender.file.type = File",
            "appender.file.name = file",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
            "");

    private static List<String> java(String heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(heap);
        // Flink 2 on Java 17: the parent pom's flink.jvm.opens, which failsafe gave this JVM too.
        cmd.addAll(opens());
        return cmd;
    }

    private static List<String> opens() {
        List<String> opens = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens"))
                .toList();
        assertThat(opens).as("failsafe's argLine has flink.jvm.opens").isNotEmpty();
        return opens;
    }

    private static void start(String name, String mainClass, String heap) throws IOException {
        List<String> cmd = new ArrayList<>(java(heap));
        Path log = dir.resolve(name + ".log");
        cmd.addAll(List.of(
                "-Dlog.file=" + log,
                "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri(),
                "-cp",
                flinkClasspath,
                mainClass,
                "--configDir",
                conf.toString()));
        Path out = dir.resolve(name + ".out");
        System.err.println("FlinkSessionClusterIT: starting the " + name + " (" + mainClass + ")");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        processes.put(name, p);
        logs.put(name + " (log)", log);
        logs.put(name + " (console)", out);
    }

    /** Runs a client process to its end within {@link #RUN}, printing what it waits for every 10 s. */
    private static int run(String name, List<String> cmd, Map<String, String> env) throws Exception {
        Path out = dir.resolve(name + ".out");
        logs.put(name, out);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        System.err.println("FlinkSessionClusterIT: " + name + ": "
                + String.join(" ", cmd.subList(cmd.indexOf("-cp") + 2, cmd.size())));
        long started = System.nanoTime();
        Process p = pb.start();
        processes.put(name, p);
        long deadline = started + RUN.toNanos();
        while (!p.waitFor(10, TimeUnit.SECONDS)) {
            if (System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(name + " did not finish within " + RUN);
            }
            System.err.printf(
                    "FlinkSessionClusterIT: waiting for %s to finish (%d s)%n",
                    name, (System.nanoTime() - started) / 1_000_000_000L);
        }
        System.err.printf(
                "FlinkSessionClusterIT: %s finished with exit code %d in %.1f s%n",
                name, p.exitValue(), (System.nanoTime() - started) / 1e9);
        return p.exitValue();
    }

    /** Waits until the TaskManager has registered its slots with the JobManager (REST /overview). */
    private static void awaitSlots(int slots) throws Exception {
        long started = System.nanoTime();
        long deadline = started + CLUSTER_START.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            for (Map.Entry<String, Process> p : processes.entrySet()) {
                if (!p.getValue().isAlive()) {
                    throw new AssertionError("the " + p.getKey() + " exited with code "
                            + p.getValue().exitValue() + " during start-up");
                }
            }
            try {
                JsonNode overview = get("/overview");
                last = overview.toString();
                if (overview.path("slots-total").asInt() >= slots) {
                    System.err.printf(
                            "FlinkSessionClusterIT: session cluster up with %d slot(s) in %.1f s: %s%n",
                            overview.path("slots-total").asInt(), (System.nanoTime() - started) / 1e9, last);
                    return;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            System.err.printf(
                    "FlinkSessionClusterIT: waiting for %d TaskManager slot(s) on 127.0.0.1:%d (%d s): %s%n",
                    slots, restPort, (System.nanoTime() - started) / 1_000_000_000L, last);
            Thread.sleep(2000);
        }
        throw new AssertionError("no " + slots + " slots within " + CLUSTER_START + "; last: " + last);
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void printLogs() {
        for (Map.Entry<String, Path> log : logs.entrySet()) {
            System.err.println("===== FlinkSessionClusterIT: " + log.getKey() + ": " + log.getValue());
            try (Stream<String> lines = Files.exists(log.getValue()) ? Files.lines(log.getValue()) : Stream.empty()) {
                List<String> all = lines.toList();
                // The end is where a failure shows; a JobManager log of a short run stays well below this.
                all.subList(Math.max(0, all.size() - 300), all.size()).forEach(System.err::println);
            } catch (IOException | java.io.UncheckedIOException e) {
                System.err.println("(unreadable: " + e + ")");
            }
        }
    }
}
