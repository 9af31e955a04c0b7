package dev.wasmorch.experiment.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.experiment.catalog.CatalogReader;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Scenario;
import dev.wasmorch.experiment.model.Trial;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PlanTest {

    static List<FunctionSpec> functions;

    @BeforeAll
    static void catalog() throws Exception {
        functions =
                CatalogReader.read(Path.of("..", "functions", "catalog.json")).functions();
    }

    @Test
    void everyFunctionRuntimeAndRepetitionOnceAndInScenarioOrder() {
        List<Trial> trials = Plan.of(functions, EnumSet.allOf(Scenario.class), 10);

        assertThat(trials).hasSize(9 * 2 * 10 + 9 * 2 + 9 * 2);
        Set<String> seen = new HashSet<>();
        for (Trial t : trials) {
            assertThat(seen.add(t.scenario() + "/" + t.function().name() + "/" + t.runtime() + "/" + t.repetition()))
                    .as("twice: %s", t)
                    .isTrue();
        }
        assertThat(trials.stream().map(Trial::scenario).distinct())
                .containsExactly(Scenario.INSTANTIATION, Scenario.SERIAL, Scenario.CONCURRENT);
        assertThat(trials.stream().filter(t -> t.scenario() != Scenario.INSTANTIATION))
                .allSatisfy(t -> assertThat(t.repetition()).isEqualTo(1));
    }

    @Test
    void eachRoundHoldsEveryFunctionOnBothSidesAndStartsWithTheNextFunction() {
        List<Trial> trials = Plan.of(functions, EnumSet.of(Scenario.INSTANTIATION), 4);

        for (int round = 0; round < 4; round++) {
            List<Trial> block = trials.subList(round * 18, round * 18 + 18);
            int r = round + 1;
            assertThat(block).allSatisfy(t -> assertThat(t.repetition()).isEqualTo(r));
            assertThat(block.stream()
                            .map(t -> t.function().name() + t.runtime())
                            .distinct())
                    .hasSize(18);
            assertThat(block.get(0).function()).isEqualTo(functions.get(round % 9));
            for (int i = 0; i < 18; i += 2) {
                assertThat(block.get(i).function()).isEqualTo(block.get(i + 1).function());
                assertThat(block.get(i).runtime()).isNotEqualTo(block.get(i + 1).runtime());
            }
        }
    }

    @Test
    void eachSideGoesFirstEquallyOftenPerFunction() {
        List<Trial> trials = Plan.of(functions, EnumSet.of(Scenario.INSTANTIATION), 10);

        Map<String, Integer> wasmFirst = new HashMap<>();
        for (int i = 0; i < trials.size(); i += 2) {
            if (trials.get(i).runtime() == Runtime.WASM) {
                wasmFirst.merge(trials.get(i).function().name(), 1, Integer::sum);
            }
        }
        assertThat(wasmFirst)
                .hasSize(9)
                .allSatisfy((f, n) -> assertThat(n).as(f).isEqualTo(5));
        // a slow stretch of the machine covers both sides: any 4 consecutive pods hold both runtimes
        for (int i = 0; i + 4 <= trials.size(); i++) {
            assertThat(trials.subList(i, i + 4).stream().map(Trial::runtime).distinct())
                    .hasSize(2);
        }
    }

    @Test
    void loadScenariosAlternateTheSideThatGoesFirst() {
        List<Trial> trials = Plan.of(functions, EnumSet.of(Scenario.SERIAL), 100);

        assertThat(trials).hasSize(18);
        assertThat(trials.get(0).runtime()).isEqualTo(Runtime.WASM);
        assertThat(trials.get(2).runtime()).isEqualTo(Runtime.CONTAINER);
        assertThat(trials.get(4).runtime()).isEqualTo(Runtime.WASM);
        assertThat(Plan.of(functions, EnumSet.of(Scenario.SIZES), 3)).isEmpty();
        assertThatThrownBy(() -> Plan.of(functions, EnumSet.of(Scenario.SERIAL), 0))
                .hasMessageContaining("repetitions 0");
    }
}
