package dev.wasmorch.pipeline.join;

import static dev.wasmorch.pipeline.join.Events.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Runtime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassifierTest {

    private final Classifier classifier = new Classifier(ClassifierOptions.defaults());

    private Runtime runtime(PodMetadata meta, String handler) {
        return classifier
                .runtime(meta, ClassifyRule.Pod.of(meta, "default", "p", "agent-1", handler))
                .runtime();
    }

    private static String function(Classifier c, PodMetadata meta, String pod) {
        return c.names(meta, pod).function();
    }

    private static String scenario(Classifier c, PodMetadata meta, String pod) {
        return c.names(meta, pod).scenario();
    }

    @Test
    void runtimeClassDecides() {
        assertThat(runtime(meta("u", "spin", Map.of(), Map.of(), null, null), null))
                .isEqualTo(Runtime.WASM);
        assertThat(runtime(meta("u", "gvisor", Map.of(), Map.of(), null, null), "spin"))
                .isEqualTo(Runtime.CONTAINER);
        assertThat(runtime(meta("u", null, Map.of(), Map.of(), null, null), null))
                .isEqualTo(Runtime.CONTAINER);
    }

    @Test
    void operatorAnnotationAndWasmAppOwnerMeanWasm() {
        assertThat(runtime(meta("u", null, Map.of(), Map.of("wasmorch.dev/runtime", "wasm"), null, null), null))
                .isEqualTo(Runtime.WASM);
        assertThat(runtime(meta("u", "spin", Map.of(), Map.of("wasmorch.dev/runtime", "container"), null, null), null))
                .isEqualTo(Runtime.CONTAINER);
        assertThat(runtime(meta("u", null, Map.of(), Map.of(), "WasmApp", "hello"), null))
                .isEqualTo(Runtime.WASM);
    }

    @Test
    void functionFromLabelsInOrderThenOwnerThenPodName() {
        assertThat(function(
                        classifier,
                        meta("u", null, Map.of("app", "x", "faas_function", "matmul"), Map.of(), null, null),
                        "p"))
                .isEqualTo("matmul");
        assertThat(function(classifier, meta("u", null, Map.of(), Map.of(), "ReplicaSet", "n-body-5d9c7b8f6"), "p"))
                .isEqualTo("n-body");
        assertThat(function(classifier, meta("u", null, Map.of(), Map.of(), "Job", "batch-run"), "p"))
                .isEqualTo("batch-run");
        assertThat(function(classifier, null, "prime-numbers-7d9c5b8f6-x2x9k")).isEqualTo("prime-numbers");
        assertThat(function(classifier, null, "whatlang-x2x9k")).isEqualTo("whatlang");
        assertThat(function(classifier, null, "static-pod")).isEqualTo("static-pod");
    }

    @Test
    void scenarioFromTheExperimentLabel() {
        assertThat(scenario(
                        classifier,
                        meta("u", null, Map.of("wasmorch.dev/scenario", "cold-start"), Map.of(), null, null),
                        "p"))
                .isEqualTo("cold-start");
        assertThat(scenario(classifier, null, "p")).isEqualTo("instantiation");
    }

    /** The experiment runner's pod names: FUNCTION-RUNTIME-SCENARIO-REPETITION[-aATTEMPT]. */
    private final Classifier named = new Classifier(new ClassifierOptions(
            Set.of("wasmorch"),
            List.of("app"),
            "wasmorch.dev/scenario",
            "instantiation",
            List.of(),
            List.of(
                    NamePattern.parse("serial=^(?<function>.+)-(wasm|ctr)-s-[0-9]+(-a[0-9]+)?$"),
                    NamePattern.parse("^(?<function>.+)-(wasm|ctr)-(?<scenario>[a-z]+)-[0-9]+(-a[0-9]+)?$"),
                    NamePattern.parse("^(?<function>[a-z]+)-.*$"))));

    @Test
    void namePatternsNameFunctionAndScenarioOfPodsWithoutMetadataFirstMatchWins() {
        assertThat(function(named, null, "n-body-ctr-s-3-a2")).isEqualTo("n-body");
        assertThat(scenario(named, null, "n-body-ctr-s-3-a2")).isEqualTo("serial");
        assertThat(function(named, null, "aes-wasm-cold-12")).isEqualTo("aes");
        assertThat(scenario(named, null, "aes-wasm-cold-12")).isEqualTo("cold");
        // the third pattern has no scenario: the default holds
        assertThat(function(named, null, "whatlang-7d9c5b8f6-x2x9k")).isEqualTo("whatlang");
        assertThat(scenario(named, null, "whatlang-7d9c5b8f6-x2x9k")).isEqualTo("instantiation");
        // no pattern matches the whole name: the hash-stripping fallback
        assertThat(function(named, null, "Static-7d9c5b8f6-x2x9k")).isEqualTo("Static");
    }

    @Test
    void metadataComesBeforeNamePatterns() {
        PodMetadata labelled =
                meta("u", null, Map.of("app", "matmul", "wasmorch.dev/scenario", "cold"), Map.of(), null, null);
        assertThat(function(named, labelled, "aes-wasm-s-1")).isEqualTo("matmul");
        assertThat(scenario(named, labelled, "aes-wasm-s-1")).isEqualTo("cold");
        PodMetadata owned = meta("u", null, Map.of(), Map.of(), "Job", "batch-run");
        assertThat(function(named, owned, "aes-wasm-s-1")).isEqualTo("batch-run");
        assertThat(scenario(named, owned, "aes-wasm-s-1")).isEqualTo("serial");
    }

    @Test
    void aNamePatternNeedsAFunctionGroupAndAValidRegex() {
        assertThatThrownBy(() -> NamePattern.parse("^(?<fn>.+)-x$"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'^(?<fn>.+)-x$': the regex has no group (?<function>...)");
        // the text "(?<function>" escaped is no group: asked of the regex, not found in its text
        assertThatThrownBy(() -> NamePattern.parse("^\\(?<function>x$"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("the regex has no group (?<function>...)");
        // a scenario group that cannot take part in a match says nothing, the default holds
        assertThat(NamePattern.parse("^(?<function>[a-z]+)(-(?<scenario>[a-z]+))?$")
                        .match("aes"))
                .isEqualTo(new NamePattern.Match("aes", null));
        assertThatThrownBy(() -> NamePattern.parse("serial=(?<function>[ab"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'serial=(?<function>[ab': bad regex: Unclosed character class");
    }
}
