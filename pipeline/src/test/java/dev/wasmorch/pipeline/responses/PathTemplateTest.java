package dev.wasmorch.pipeline.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.pipeline.model.Runtime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathTemplateTest {

    @TempDir
    Path base;

    @BeforeEach
    void layout() throws Exception {
        for (String f : new String[] {
            "results/serial/wasm/aes-serial.csv",
            "results/serial/openfaas/aes-serial.csv",
            "results/burst/container/matmul-serial.csv",
            "results/burst/container/matmul-concurrent.csv", // other suffix: not matched
            "results/burst/gvisor/matmul-serial.csv", // unknown runtime: rejected
            "results/serial/wasm/deep/aes-serial.csv", // deeper than the template: not matched
        }) {
            Path p = base.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "");
        }
    }

    @Test
    void labelsEachMatchedFile() {
        PathTemplate.Expansion e = PathTemplate.parse("results/{scenario}/{runtime}/{function}-serial.csv")
                .expand(base, "unused");
        assertThat(e.files())
                .containsExactly(
                        new LabelledFile(
                                base.resolve("results/burst/container/matmul-serial.csv"),
                                "burst",
                                "matmul",
                                Runtime.CONTAINER),
                        new LabelledFile(
                                base.resolve("results/serial/openfaas/aes-serial.csv"),
                                "serial",
                                "aes",
                                Runtime.CONTAINER),
                        new LabelledFile(
                                base.resolve("results/serial/wasm/aes-serial.csv"), "serial", "aes", Runtime.WASM));
        assertThat(e.rejects()).singleElement().satisfies(r -> {
            assertThat(r.file()).endsWith("gvisor/matmul-serial.csv");
            assertThat(r.reason()).isEqualTo("responses_runtime");
            assertThat(r.detail()).contains("'gvisor'");
        });
    }

    @Test
    void wildcardAndDefaultScenario() {
        PathTemplate.Expansion e = PathTemplate.parse(base + "/results/*/{runtime}/{function}-*.csv")
                .expand(Path.of("/nowhere"), "lab");
        assertThat(e.files()).extracting(LabelledFile::scenario).containsOnly("lab");
        // the function placeholder takes what the wildcard leaves: both matmul files match
        assertThat(e.files()).extracting(LabelledFile::function).containsExactly("matmul", "matmul", "aes", "aes");
    }

    @Test
    void aTemplateMayStartWithAPlaceholder() {
        PathTemplate.Expansion e =
                PathTemplate.parse("{scenario}/{runtime}/{function}-serial.csv").expand(base.resolve("results"), "x");
        assertThat(e.files()).extracting(LabelledFile::scenario).containsExactly("burst", "serial", "serial");
    }

    @Test
    void badTemplatesAreExplained() {
        assertThatThrownBy(() -> PathTemplate.parse("results/{runtime}/x.csv"))
                .hasMessageContaining("lacks the {function} placeholder");
        assertThatThrownBy(() -> PathTemplate.parse("results/{runtime}/{function}-{platform}.csv"))
                .hasMessageContaining("unknown placeholder {platform}");
        assertThatThrownBy(() -> PathTemplate.parse("{runtime}/{function}/{function}.csv"))
                .hasMessageContaining("repeats the placeholder {function}");
        assertThatThrownBy(() -> PathTemplate.parse("results/serial.csv"))
                .hasMessageContaining("no {runtime} or {function}");
        assertThatThrownBy(() ->
                        PathTemplate.parse("missing/{runtime}/{function}.csv").expand(base, "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void runtimeLabels() {
        assertThat(PathTemplate.runtimeOf("WASM")).isEqualTo(Runtime.WASM);
        assertThat(PathTemplate.runtimeOf("openfaas")).isEqualTo(Runtime.CONTAINER);
        assertThat(PathTemplate.runtimeOf("container")).isEqualTo(Runtime.CONTAINER);
        assertThat(PathTemplate.runtimeOf("runc")).isNull();
    }
}
