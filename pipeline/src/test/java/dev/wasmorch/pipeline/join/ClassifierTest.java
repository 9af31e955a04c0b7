package dev.wasmorch.pipeline.join;

import static dev.wasmorch.pipeline.join.Events.meta;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Runtime;
import java.util.Map;
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
                        meta("u", null, Map.of("wasmorch.dev/scenario", "cold-start"), Map.of(), null, null)))
                .isEqualTo("cold-start");
        assertThat(classifier.scenario(null)).isEqualTo("instantiation");
    }
}
