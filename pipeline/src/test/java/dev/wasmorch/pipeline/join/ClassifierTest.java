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
        assertThat(classifier.function(
                        meta("u", null, Map.of("app", "x", "faas_function", "matmul"), Map.of(), null, null), "p"))
                .isEqualTo("matmul");
        assertThat(classifier.function(meta("u", null, Map.of(), Map.of(), "ReplicaSet", "n-body-5d9c7b8f6"), "p"))
                .isEqualTo("n-body");
        assertThat(classifier.function(meta("u", null, Map.of(), Map.of(), "Job", "batch-run"), "p"))
                .isEqualTo("batch-run");
        assertThat(classifier.function(null, "prime-numbers-7d9c5b8f6-x2x9k")).isEqualTo("prime-numbers");
        assertThat(classifier.function(null, "whatlang-x2x9k")).isEqualTo("whatlang");
        assertThat(classifier.function(null, "static-pod")).isEqualTo("static-pod");
    }

    @Test
    void scenarioFromTheExperimentLabel() {
        assertThat(classifier.scenario(
                        meta("u", null, Map.of("wasmorch.dev/scenario", "cold-start"), Map.of(), null, null), "p"))
                .isEqualTo("cold-start");
        assertThat(classifier.scenario(null, "p")).isEqualTo("instantiation");
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
        assertThat(named.function(null, "n-body-ctr-s-3-a2")).isEqualTo("n-body");
        assertThat(named.scenario(null, "n-body-ctr-s-3-a2")).isEqualTo("serial");
        assertThat(named.function(null, "aes-wasm-cold-12")).isEqualTo("aes");
        assertThat(named.scenario(null, "aes-wasm-cold-12")).isEqualTo("cold");
        // the third pattern has no scenario: the default holds
        assertThat(named.function(null, "whatlang-7d9c5b8f6-x2x9k")).isEqualTo("whatlang");
        assertThat(named.scenario(null, "whatlang-7d9c5b8f6-x2x9k")).isEqualTo("instantiation");
        // no pattern matches the whole name: the hash-stripping fallback
        assertThat(named.function(null, "Static-7d9c5b8f6-x2x9k")).isEqualTo("Static");
    }

    @Test
    void metadataComesBeforeNamePatterns() {
        PodMetadata labelled =
                meta("u", null, Map.of("app", "matmul", "wasmorch.dev/scenario", "cold"), Map.of(), null, null);
        assertThat(named.function(labelled, "aes-wasm-s-1")).isEqualTo("matmul");
        assertThat(named.scenario(labelled, "aes-wasm-s-1")).isEqualTo("cold");
        PodMetadata owned = meta("u", null, Map.of(), Map.of(), "Job", "batch-run");
        assertThat(named.function(owned, "aes-wasm-s-1")).isEqualTo("batch-run");
        assertThat(named.scenario(owned, "aes-wasm-s-1")).isEqualTo("serial");
    }

    @Test
    void aNamePatternNeedsAFunctionGroupAndAValidRegex() {
        assertThatThrownBy(() -> NamePattern.parse("^(?<fn>.+)-x$"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'^(?<fn>.+)-x$': the regex has no group (?<function>...)");
        assertThatThrownBy(() -> NamePattern.parse("serial=(?<function>[ab"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'serial=(?<function>[ab': bad regex: Unclosed character class");
    }
}
