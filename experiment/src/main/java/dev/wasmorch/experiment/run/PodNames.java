package dev.wasmorch.experiment.run;

import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Scenario;
import dev.wasmorch.experiment.model.Trial;
import java.util.ArrayList;
import java.util.List;

/**
 * Pod names: {@code FUNCTION-RUNTIME-SCENARIO-REPETITION}, then {@code -aATTEMPT} for a retry, e.g.
 * {@code aes-wasm-i-7} or {@code matmul-ctr-s-1-a2}. Unique in a run, and a DNS label (≤ 63
 * characters: the catalog's names are at most 42).
 */
public final class PodNames {

    private PodNames() {}

    /**
     * The analyzer's {@code --name-pattern}s that read these names back, one per scenario that
     * deploys pods: for the lifecycle lines of pods without metadata ({@code lab stream}'s local
     * node; the kubernetes backend's pods are named by their Deployment or WasmApp and carry labels).
     */
    public static List<String> namePatterns() {
        String runtimes = "(" + word(Runtime.WASM) + "|" + word(Runtime.CONTAINER) + ")";
        List<String> patterns = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            if (s != Scenario.SIZES) {
                patterns.add(s.label() + "=^(?<function>.+)-" + runtimes + "-" + letter(s) + "-[0-9]+(-a[0-9]+)?$");
            }
        }
        return patterns;
    }

    static String of(Trial trial, int attempt) {
        return trial.function().name() + "-" + word(trial.runtime()) + "-" + letter(trial.scenario()) + "-"
                + trial.repetition() + (attempt > 1 ? "-a" + attempt : "");
    }

    private static String word(Runtime runtime) {
        return runtime == Runtime.WASM ? "wasm" : "ctr";
    }

    /** A scenario's letter in pod names; unique among the scenarios that deploy pods (sizes deploys none). */
    private static char letter(Scenario scenario) {
        return scenario.label().charAt(0);
    }
}
