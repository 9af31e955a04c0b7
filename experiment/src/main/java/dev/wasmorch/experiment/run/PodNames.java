package dev.wasmorch.experiment.run;

import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Trial;

/**
 * Pod names: {@code FUNCTION-RUNTIME-SCENARIO-REPETITION}, then {@code -aATTEMPT} for a retry, e.g.
 * {@code aes-wasm-i-7} or {@code matmul-ctr-s-1-a2}. Unique in a run, and a DNS label (≤ 63
 * characters: the catalog's names are at most 42).
 */
final class PodNames {

    private PodNames() {}

    static String of(Trial trial, int attempt) {
        String runtime = trial.runtime() == Runtime.WASM ? "wasm" : "ctr";
        String scenario = trial.scenario().label().substring(0, 1);
        return trial.function().name() + "-" + runtime + "-" + scenario + "-" + trial.repetition()
                + (attempt > 1 ? "-a" + attempt : "");
    }
}
