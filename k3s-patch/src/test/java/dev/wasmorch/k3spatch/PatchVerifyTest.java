package dev.wasmorch.k3spatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs k3s-patch/verify.sh as CI does: the patches must be well formed, carry the tested logger
 * and pass the Go checks this machine can run; broken patches must be caught; and the checkout
 * path (git apply --check, git am in a throw-away worktree, --refresh) must work on a tree that
 * holds the patches' context lines.
 */
class PatchVerifyTest {

    private static final Path K3S_PATCH = RepoPaths.k3sPatch();

    @Test
    void shippedPatchesPassVerify() throws Exception {
        Run run = verify();

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output)
                .contains("ok:   4 patches well formed")
                .contains("adds lifecyclelog.go identical to src/lifecyclelog/lifecyclelog.go")
                .contains("ok:   upstream.tsv: 7 touched files, 2 with the pinned blob recorded")
                .doesNotContain("FAIL:");
        if (run.output.contains("ok:   go vet and go test of src/lifecyclelog")) {
            assertThat(run.output).contains("ok:   hookcheck: the 8 hook hunks of patches/ compile");
        }
    }

    /** Each case breaks one thing in a copy of patches/: file prefix, text, replacement, expected FAIL text. */
    static Stream<Arguments> brokenPatches() {
        return Stream.of(
                Arguments.of(
                        "wrong hunk line count",
                        "0004-",
                        "@@ -876,4 +878,10 @@",
                        "@@ -876,4 +878,9 @@",
                        "@@ -876,4 +878,9 @@ of pkg/kubelet/status/status_manager.go has more lines"),
                Arguments.of(
                        "diffstat disagrees",
                        "0003-",
                        "pkg/scheduler/schedule_one.go | 3 +++",
                        "pkg/scheduler/schedule_one.go | 4 ++++",
                        "diffstat says 4 changed lines for pkg/scheduler/schedule_one.go, hunks have 3"),
                Arguments.of(
                        "logger drifted from src/",
                        "0001-",
                        "+\tEnvEnable = \"WASMORCH_LIFECYCLE_LOG\"",
                        "+\tEnvEnable = \"WASMORCH_LOG\"",
                        "lifecyclelog.go differs from src/lifecyclelog/lifecyclelog.go"),
                Arguments.of(
                        "wrong numbering",
                        "0002-",
                        "Subject: [PATCH 2/4]",
                        "Subject: [PATCH 3/4]",
                        "expected Subject: [PATCH 2/4]"),
                Arguments.of(
                        "touched file without upstream.tsv row",
                        "upstream.tsv",
                        "pkg/kubelet/config/config.go\t",
                        "pkg/kubelet/config/confg.go\t",
                        "upstream.tsv: no row for pkg/kubelet/config/config.go, which the patches modify"),
                Arguments.of(
                        "recorded blob disagrees with the index line",
                        "upstream.tsv",
                        "\t305a924388a6",
                        "\t305a925388a6",
                        "records blob 305a925388a6"));
    }

    @Test
    void hookThatDoesNotCompileAgainstTheLoggerIsReported(@TempDir Path tmp) throws Exception {
        Path patches = copyPatches(tmp);
        Path broken = only(patches, "0004-");
        rewrite(
                broken,
                "pod.Name, string(pod.UID), pod.Spec.NodeName, runtimeHandler)",
                "pod.Name, pod.UID, pod.Spec.NodeName, runtimeHandler)");

        Run run = verify("--patches", patches.toString());

        assumeTrue(
                run.output.contains("ok:   go vet and go test of src/lifecyclelog"), "Go and klog are not installed");
        assertThat(run.exit).as(run.output).isEqualTo(1);
        assertThat(run.output)
                .contains("cannot use pod.UID (variable of type types.UID) as string value")
                .contains("FAIL: hookcheck: the hook lines of patches/ do not compile");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenPatches")
    void brokenPatchIsReportedWithTheFileAtFault(
            String name, String prefix, String from, String to, String message, @TempDir Path tmp) throws Exception {
        Path patches = copyPatches(tmp);
        Path broken = only(patches, prefix);
        rewrite(broken, from, to);

        Run run = verify("--patches", patches.toString());

        assertThat(run.exit).as(run.output).isEqualTo(1);
        assertThat(run.output)
                .contains("FAIL: ")
                .contains(broken.getFileName().toString())
                .contains(message);
    }

    @Test
    void patchesApplyToATreeWithTheirContextAndRefreshRewritesThem(@TempDir Path tmp) throws Exception {
        Path tree = committedContextTree(tmp);
        Path patches = copyPatches(tmp);

        Run run = verify("--patches", patches.toString(), "--tree", tree.toString(), "--refresh");

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output)
                .contains("git apply --check: all patches apply to " + tree)
                .contains("has no go.mod")
                .contains("patches/ rewritten from the checkout");
        assertThat(Files.readString(only(patches, "0004-"))).contains("index ");
        assertThat(run.output).contains("ok:   upstream.tsv rewritten with the blobs of");
        assertThat(Files.readString(patches.resolve("upstream.tsv")))
                .contains("verify.sh --refresh on ")
                .doesNotContain("\tunverified\t");
        Run again = verify("--patches", patches.toString());
        assertThat(again.exit).as(again.output).isZero();
        assertThat(git(tree, "worktree", "list").split("\n")).hasSize(1);
    }

    @Test
    void atThePinnedTagARecordedBlobMustMatch(@TempDir Path tmp) throws Exception {
        Path tree = committedContextTree(tmp);
        String pinned = Files.readAllLines(K3S_PATCH.resolve("versions.env")).stream()
                .filter(l -> l.startsWith("KUBERNETES_TAG="))
                .findFirst()
                .orElseThrow()
                .substring("KUBERNETES_TAG=".length());
        git(tree, "tag", pinned);
        String blob = git(tree, "rev-parse", "HEAD:staging/src/k8s.io/client-go/tools/record/event.go")
                .strip();

        Run run = verify("--tree", tree.toString());

        assertThat(run.exit).as(run.output).isEqualTo(1);
        assertThat(run.output)
                .contains("FAIL: staging/src/k8s.io/client-go/tools/record/event.go is blob " + blob + " at " + pinned
                        + ", upstream.tsv records 305a924388a699693b118f74d044d9e0a4935949");
        assertThat(git(tree, "worktree", "list").split("\n")).hasSize(1);
    }

    /**
     * Writes, for every file the patches modify, a file that holds each hunk's old lines at the
     * hunk's position, padded with filler lines: the smallest tree the patches apply to.
     */
    /** A git repository holding the upstream context the patches need, committed. */
    private static Path committedContextTree(Path tmp) throws Exception {
        assumeTrue(commandWorks("git", "--version"), "git is not installed");
        Path tree = tmp.resolve("kubernetes");
        writeContextTree(tree);
        git(tree, "init", "-q");
        git(tree, "add", "-A");
        git(tree, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "context");
        return tree;
    }

    private static void writeContextTree(Path tree) throws IOException {
        Pattern hunk = Pattern.compile("^@@ -(\\d+),(\\d+) \\+\\d+,\\d+ @@");
        Map<String, List<String>> files = new LinkedHashMap<>();
        for (Path patch : patchFiles(K3S_PATCH.resolve("patches"))) {
            String file = null;
            List<String> lines = null;
            boolean newFile = false;
            for (String line : Files.readAllLines(patch, StandardCharsets.UTF_8)) {
                Matcher m = hunk.matcher(line);
                if (line.startsWith("diff --git ")) {
                    file = line.substring(line.indexOf(" b/") + 3);
                    newFile = false;
                    lines = null;
                } else if (line.startsWith("new file mode")) {
                    newFile = true;
                } else if (file != null && !newFile && m.find()) {
                    lines = files.computeIfAbsent(file, f -> new ArrayList<>(List.of("/*")));
                    int start = Integer.parseInt(m.group(1));
                    while (lines.size() < start - 1) {
                        lines.add("// filler " + lines.size());
                    }
                } else if (line.equals("-- ")) {
                    file = null;
                    lines = null;
                } else if (lines != null && (line.startsWith(" ") || line.startsWith("-"))) {
                    lines.add(line.substring(1));
                }
            }
        }
        for (Map.Entry<String, List<String>> e : files.entrySet()) {
            Path p = tree.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            List<String> content = new ArrayList<>(e.getValue());
            content.add("// end of context");
            Files.write(p, content, StandardCharsets.UTF_8);
        }
    }

    /** Copies patches/ whole: the patches and upstream.tsv. */
    private static Path copyPatches(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("patches"));
        try (Stream<Path> s = Files.list(K3S_PATCH.resolve("patches"))) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private static List<Path> patchFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".patch")).sorted().toList();
        }
    }

    private static Path only(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> matches =
                    s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(matches).hasSize(1);
            return matches.get(0);
        }
    }

    private static void rewrite(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }

    private record Run(int exit, String output) {}

    private static Run verify(String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of("bash", K3S_PATCH.resolve("verify.sh").toString()));
        cmd.addAll(List.of(args));
        return run(K3S_PATCH, cmd);
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Run r = run(dir, cmd);
        assertThat(r.exit).as(r.output).isZero();
        return r.output;
    }

    private static boolean commandWorks(String... cmd) {
        try {
            return run(Path.of("."), List.of(cmd)).exit == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static Run run(Path dir, List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
