package dev.wasmorch.experiment.plan;

import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Scenario;
import dev.wasmorch.experiment.model.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The order of a run's pods. Runtimes and functions are interleaved, so that a slow minute of the
 * machine falls on both sides and on many functions, never on one side of one function:
 *
 * <ul>
 *   <li>instantiation goes round by round: round r deploys every function once on each runtime, the
 *       functions rotated by r (each round starts with the next function) and, per function, WASM
 *       first in one round and the container first in the next (the pair's order alternates with
 *       r + the function's catalog place, so each side goes first in every other round of a function,
 *       and neighbours in a round start on different sides);
 *   <li>serial and concurrent deploy each function once per runtime, the pair's order alternating with
 *       the function's place.
 * </ul>
 *
 * Scenarios come in {@link Scenario}'s order; {@link Scenario#SIZES} deploys no pod.
 */
public final class Plan {

    private Plan() {}

    public static List<Trial> of(List<FunctionSpec> functions, Set<Scenario> scenarios, int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions " + repetitions + " must be ≥ 1");
        }
        List<Trial> trials = new ArrayList<>();
        int n = functions.size();
        if (scenarios.contains(Scenario.INSTANTIATION)) {
            for (int round = 0; round < repetitions; round++) {
                for (int j = 0; j < n; j++) {
                    int place = (round + j) % n;
                    FunctionSpec f = functions.get(place);
                    for (Runtime runtime : pairOrder(round + place)) {
                        trials.add(new Trial(Scenario.INSTANTIATION, f, runtime, round + 1));
                    }
                }
            }
        }
        for (Scenario load : List.of(Scenario.SERIAL, Scenario.CONCURRENT)) {
            if (scenarios.contains(load)) {
                for (int j = 0; j < n; j++) {
                    for (Runtime runtime : pairOrder(j)) {
                        trials.add(new Trial(load, functions.get(j), runtime, 1));
                    }
                }
            }
        }
        return trials;
    }

    private static List<Runtime> pairOrder(int place) {
        return place % 2 == 0 ? List.of(Runtime.WASM, Runtime.CONTAINER) : List.of(Runtime.CONTAINER, Runtime.WASM);
    }
}
