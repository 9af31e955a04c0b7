package dev.wasmorch.experiment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's input checks: each refusal is exit code 2 with a line naming the option or field, before any pod. */
class LabCliTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CommandLine cli = new CommandLine(new LabCli());
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            int code = cli.execute(args);
            return new Result(code, out.toString(), err + captured.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private String[] withCatalog(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "run";
        all[1] = "--catalog";
        all[2] = Path.of("..", "functions", "catalog.json").toString();
        all[3] = "--out=" + dir.resolve("out");
        System.arraycopy(args, 0, all, 4, args.length);
        return all;
    }

    @Test
    void helpListsTheIssuesOptions() {
        Result r = run("run", "--help");

        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains(
                        "--backend",
                        "--functions",
                        "--scenarios",
                        "--repetitions",
                        "--duration",
                        "--quick",
                        "--out",
                        "--work",
                        "--images",
                        "--kubeconfig",
                        "--context",
                        "--namespace",
                        "--node-log",
                        "--access");
    }

    @Test
    void badInputIsRefusedWithExitCode2NamingIt() throws Exception {
        assertThat(run(withCatalog("--functions", "aes,rot13")))
                .satisfies(r -> assertThat(r.code()).isEqualTo(2))
                .satisfies(r -> assertThat(r.err())
                        .contains("--functions: 'rot13' is not in the catalog (aes, float-operation"));
        assertThat(run(withCatalog("--scenarios", "instantiation,warm")).err())
                .contains("--scenarios: unknown scenario 'warm' (instantiation, serial, concurrent, sizes)");
        assertThat(run(withCatalog("--backend", "nomad")).err())
                .contains("--backend: unknown backend 'nomad' (available: local, kubernetes)");
        assertThat(run(withCatalog(
                        "--backend",
                        "kubernetes",
                        "--kubeconfig",
                        dir.resolve("nope").toString())))
                .satisfies(r -> assertThat(r.code()).isEqualTo(2))
                .satisfies(r ->
                        assertThat(r.err()).contains("--kubeconfig " + dir.resolve("nope") + ": no readable file"));
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: lab, context: {cluster: c, user: u}}]
                current-context: lab
                """);
        assertThat(run(withCatalog(
                                "--backend", "kubernetes", "--kubeconfig", kubeconfig.toString(), "--context", "prod"))
                        .err())
                .contains("--context prod: not a context of --kubeconfig " + kubeconfig + " [lab]");
        assertThat(run(withCatalog(
                                "--backend", "kubernetes", "--kubeconfig", kubeconfig.toString(), "--access", "tunnel"))
                        .err())
                .contains("--access 'tunnel' is not service or port-forward");
        assertThat(run(withCatalog(
                        "--backend", "kubernetes", "--kubeconfig", kubeconfig.toString(), "--node-log", "n1")))
                .satisfies(r -> assertThat(r.code()).isEqualTo(2))
                .satisfies(r ->
                        assertThat(r.err()).contains("node-log source 'n1' is not NAME=cmd:ARGS or NAME=file:PATH"));
        assertThat(run(withCatalog("--repetitions", "0")).err()).contains("--repetitions 0 is not 1..10000");
        assertThat(run(withCatalog("--duration", "5 minutes")).code()).isEqualTo(2);
        assertThat(run(withCatalog("--attempts", "11")).err()).contains("attempts 11 is not 1..10");
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out").resolve("old.csv"), "x");
        assertThat(run(withCatalog()).err()).contains("is not empty (a run never mixes its files with another's)");
        Path bad = dir.resolve("catalog.json");
        Files.writeString(bad, "{\"services\": {}, \"functions\": [{\"name\": \"aes\"}]}");
        assertThat(run(
                                "run",
                                "--catalog",
                                bad.toString(),
                                "--out",
                                dir.resolve("o2").toString())
                        .err())
                .contains("catalog.json: functions[0].type is missing");
    }

    @Test
    void durationsAreWrittenAsHeyWritesThem() {
        DurationParser p = new DurationParser();

        assertThat(p.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(p.convert("2h")).isEqualTo(Duration.ofHours(2));
        for (String bad : new String[] {"", "5", "m", "5x", "0s", "5m 3s", "-1s"}) {
            try {
                p.convert(bad);
                throw new AssertionError("accepted " + bad);
            } catch (CommandLine.TypeConversionException expected) {
                assertThat(expected.getMessage()).contains("is not a duration");
            }
        }
    }

    @Test
    void streamHasRunsOptionsAndNeedsTheJobsDatabase() {
        Result help = run("stream", "--help");
        String[] args = withCatalog("--functions", "aes");
        args[0] = "stream";
        Result missing = run(args);

        assertThat(help.code()).isZero();
        assertThat(help.out())
                .contains("Usage: wasmorch lab stream", "-- STREAM-OPTION", "--jdbc-url", "--backend", "--out");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("lab stream needs the job's --jdbc-url after --");
    }
}
