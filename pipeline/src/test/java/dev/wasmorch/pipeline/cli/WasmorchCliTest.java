package dev.wasmorch.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line's contract: help everywhere, exit code 2 and a message naming unusable input. */
class WasmorchCliTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"analyze", "demo", "generate", "report"})
    void everySubcommandHasHelp(String subcommand) {
        Result r = run(subcommand, "--help");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("Usage: wasmorch " + subcommand).contains("--help");
    }

    @Test
    void topLevelHelpListsTheSubcommands() {
        Result r = run("--help");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("analyze", "demo", "generate", "report");
    }

    @Test
    void missingLogFileIsNamedWithExitCode2() {
        Result r = run(
                "analyze",
                "--logs",
                dir.resolve("nope.log").toString(),
                "--out",
                dir.resolve("out").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("nope.log");
    }

    @Test
    void missingOrMalformedSnapshotIsNamedWithExitCode2() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "nothing of interest\n");
        Result missing = run(
                "analyze",
                "--logs",
                log.toString(),
                "--pods",
                dir.resolve("pods.json").toString(),
                "--out",
                dir.resolve("out").toString());
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"items\":[{]}");
        Result malformed = run(
                "analyze",
                "--logs",
                log.toString(),
                "--pods",
                bad.toString(),
                "--out",
                dir.resolve("out").toString());

        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("pods.json");
        assertThat(malformed.code).isEqualTo(2);
        assertThat(malformed.err).contains("bad.json");
    }

    @Test
    void snapshotsWithNullItemsOrNoPodsAreRefusedWithExitCode2() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "nothing of interest\n");
        Path nullItem = Files.writeString(dir.resolve("null.json"), "{\"kind\":\"List\",\"items\":[null]}");
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        for (Path pods : List.of(nullItem, empty)) {
            Result r = run(
                    "analyze",
                    "--logs",
                    log.toString(),
                    "--pods",
                    pods.toString(),
                    "--out",
                    dir.resolve("out").toString());
            assertThat(r.code).as(pods.toString()).isEqualTo(2);
            assertThat(r.err).contains(pods.toString()).doesNotContain("Exception");
        }
        assertThat(run("analyze", "--logs", log.toString(), "--pods", nullItem.toString(), "--out", "x")
                        .err())
                .contains("items[0]");
    }

    @Test
    void anUnusableOutputDirectoryIsOneLineAndExitCode2() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "nothing of interest\n");
        Path file = Files.writeString(dir.resolve("taken"), "x");
        // an existing file, a directory below a file, a directory nobody may write (root included), /proc
        for (String out :
                List.of(file.toString(), file.resolve("sub").toString(), "/proc/self", "/proc/wasmorch-out")) {
            Result r = run("analyze", "--logs", log.toString(), "--out", out);
            assertThat(r.code).as(out).isEqualTo(2);
            assertThat(r.err.lines()).as(out).hasSize(1);
            assertThat(r.err).contains("output directory " + out).doesNotContain("\tat ");
        }
        for (String command : List.of("demo", "generate")) {
            Result r = run(command, "--out", file.toString());
            assertThat(r.code).as(command).isEqualTo(2);
            assertThat(r.err).contains("output directory " + file);
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void nothingToAnalyzeIsAnInputError() {
        Result r = run("analyze", "--out", dir.resolve("out").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("nothing to analyze");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("analyze").code).as("--out is required").isEqualTo(2);
        assertThat(run("analyze", "--paper-data", dir.resolve("none").toString(), "--out", "x").err)
                .contains("is not a directory");
        assertThat(run("analyze", "--responses", "r/{runtime}/{oops}.csv", "--out", "x").code)
                .isEqualTo(2);
        assertThat(run("analyze", "--instantiation-csv", dir.resolve("x.csv").toString(), "--out", "x").code)
                .isEqualTo(2);
        assertThat(run("generate", "--out", dir.toString(), "--noise", "1.5").code)
                .isEqualTo(2);
        assertThat(run("report", "--out", dir.resolve("missing").toString()).code)
                .isEqualTo(2);
    }

    @Test
    void instantiationCsvRuntimeComesFromTheFileName() throws Exception {
        assertThat(InputLoader.runtimeFromName(Path.of("wasm-instantiation-time.csv"))
                        .label())
                .isEqualTo("wasm");
        assertThat(InputLoader.runtimeFromName(Path.of("openfaas-instantiation-time.csv"))
                        .label())
                .isEqualTo("container");
        Path unnamed = Files.writeString(dir.resolve("x.csv"), "pod_name,test_name,init_time\n");
        assertThat(run("analyze", "--instantiation-csv", unnamed.toString(), "--out", "x")
                        .err())
                .contains("cannot tell the runtime");
    }

    @Test
    void badClassificationRulesAreNamedWithExitCode2() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "nothing of interest\n");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "rules:\n  - wasm:node=a\n  - wasm:nodes=b\n");
        String out = dir.resolve("out").toString();

        Result regex = run("analyze", "--logs", log.toString(), "--classify", "wasm:name~(", "--out", out);
        Result preset = run("analyze", "--logs", log.toString(), "--classify-preset", "study-1999", "--out", out);
        Result malformed = run("analyze", "--logs", log.toString(), "--classify", "wasm=openfaas-fn", "--out", out);
        Result file = run("analyze", "--logs", log.toString(), "--classify-rules", rules.toString(), "--out", out);
        Result pattern = run("analyze", "--logs", log.toString(), "--name-pattern", "^(?<fn>.+)$", "--out", out);

        assertThat(regex.code).isEqualTo(2);
        assertThat(regex.err).contains("--classify 'wasm:name~('", "bad regex");
        assertThat(preset.code).isEqualTo(2);
        assertThat(preset.err).contains("--classify-preset", "study-1999", "study-2023");
        assertThat(malformed.code).isEqualTo(2);
        assertThat(malformed.err).contains("--classify 'wasm=openfaas-fn'", "RUNTIME:MATCHER=VALUE");
        assertThat(file.code).isEqualTo(2);
        assertThat(file.err).contains("--classify-rules " + rules, "line 3", "unknown matcher 'nodes'");
        assertThat(pattern.code).isEqualTo(2);
        assertThat(pattern.err).contains("--name-pattern '^(?<fn>.+)$': the regex has no group (?<function>...)");
    }

    @Test
    void namePatternsNameTheFunctionAndScenarioOfPodsKnownOnlyFromLogs() throws Exception {
        StringBuilder log = new StringBuilder();
        String[] events = {"PodCreated", "PodScheduled", "SandboxReady", "ContainerCreated", "ContainerStarted"};
        for (String pod : List.of("aes-wasm-s-1", "aes-ctr-s-1-a2", "matmul-wasm-i-4")) {
            for (int i = 0; i < events.length; i++) {
                log.append("WASMORCH-LIFECYCLE/1 ts=2026-12-05T10:00:0%d.000100Z event=%s ns=lab pod=%s uid=u-%s"
                                .formatted(i, events[i], pod, pod))
                        .append(" node=n host=n component=wasmorch-lab handler=")
                        .append(pod.contains("-wasm-") ? "wasmorch" : "runc")
                        .append(events[i].startsWith("Container") ? " container=app\n" : "\n");
            }
        }
        Path logs = Files.writeString(dir.resolve("node.log"), log);
        Path out = dir.resolve("out");

        Result r = run(
                "analyze",
                "--logs",
                logs.toString(),
                "--name-pattern",
                "serial=^(?<function>.+)-(wasm|ctr)-s-[0-9]+(-a[0-9]+)?$",
                "--name-pattern",
                "^(?<function>.+)-(wasm|ctr)-(?<scenario>[a-z])-[0-9]+$",
                "--parallelism",
                "1",
                "--out",
                out.toString());

        assertThat(r.code).as(r.err).isZero();
        assertThat(Files.readAllLines(out.resolve("pods.csv"))).satisfies(lines -> {
            List<String> header = List.of(lines.get(0).split(","));
            assertThat(lines.subList(1, lines.size()))
                    .extracting(line -> {
                        List<String> cells = List.of(line.split(",", -1));
                        return cells.get(header.indexOf("pod")) + " "
                                + cells.get(header.indexOf("function")) + " "
                                + cells.get(header.indexOf("scenario")) + " "
                                + cells.get(header.indexOf("runtime"));
                    })
                    .containsExactlyInAnyOrder(
                            "aes-wasm-s-1 aes serial wasm",
                            "aes-ctr-s-1-a2 aes serial container",
                            "matmul-wasm-i-4 matmul i wasm");
        });
    }

    @Test
    void streamRefusesABadRuleWithExitCode2() {
        Result r = run(
                "stream", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none", "--classify", "vm:node=a", "--logs", "-");

        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("--classify 'vm:node=a'", "runtime 'vm'");
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WasmorchCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
