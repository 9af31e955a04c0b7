package dev.wasmorch.pipeline.join;

import dev.wasmorch.contract.pod.PodLabels;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * How pods are told apart and named.
 *
 * @param wasmRuntimeClasses runtimeClassName values (and CRI runtime handlers) that mean WASM
 * @param functionLabels     labels tried in order for the function name
 * @param scenarioLabel      label that carries the experiment/scenario name, or null
 * @param defaultScenario    scenario when the label is absent
 * @param rules              {@code --classify} rules for pods the metadata does not decide, in order
 * @param namePatterns       {@code --name-pattern}s for the function and scenario of pods without
 *                           metadata, in order
 */
public record ClassifierOptions(
        Set<String> wasmRuntimeClasses,
        List<String> functionLabels,
        String scenarioLabel,
        String defaultScenario,
        List<ClassifyRule> rules,
        List<NamePattern> namePatterns)
        implements Serializable {

    public ClassifierOptions withRules(List<ClassifyRule> ordered) {
        return new ClassifierOptions(
                wasmRuntimeClasses, functionLabels, scenarioLabel, defaultScenario, ordered, namePatterns);
    }

    public static ClassifierOptions defaults() {
        return new ClassifierOptions(
                Set.of(PodLabels.WASM_RUNTIME_CLASSES.split(",")),
                List.of(PodLabels.FUNCTION, "faas_function", "app.kubernetes.io/name", "app"),
                PodLabels.SCENARIO,
                "instantiation",
                List.of(),
                List.of());
    }
}
