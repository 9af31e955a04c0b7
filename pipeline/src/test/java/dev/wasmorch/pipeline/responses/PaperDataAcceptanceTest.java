package dev.wasmorch.pipeline.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.stats.Comparisons;
import dev.wasmorch.pipeline.stats.Descriptive;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reproduces the 2023 study's published numbers from its raw data (shared/paper-data, resolved as
 * {@code <repo>/../shared/paper-data}; skipped when absent). Published values have 4 decimals (2 for
 * p-values), so agreement means equality after rounding: |ours - published| &lt;= half a unit.
 */
class PaperDataAcceptanceTest {

    private static final Path PAPER_DATA = Path.of("")
            .toAbsolutePath()
            .getParent()
            .resolve("../shared/paper-data")
            .normalize();

    private static ResponseData data;

    @BeforeAll
    static void load() {
        Assumptions.assumeTrue(
                Files.isDirectory(PAPER_DATA),
                "the study's raw data is not at " + PAPER_DATA + ": paper acceptance tests skipped");
        data = PaperData.load(PAPER_DATA);
    }

    private static double[] values(String scenario, String function, Runtime runtime) {
        return data.samples().stream()
                .filter(s -> s.scenario().equals(scenario) && s.function().equals(function) && s.runtime() == runtime)
                .mapToDouble(Sample::value)
                .toArray();
    }

    private static SummaryStats stats(String scenario, String function, Runtime runtime, String metric) {
        return Descriptive.summarize(scenario, function, runtime, metric, values(scenario, function, runtime));
    }

    private static Comparison compare(String scenario, String function, String metric) {
        return Comparisons.compare(
                scenario,
                function,
                metric,
                values(scenario, function, Runtime.WASM),
                values(scenario, function, Runtime.CONTAINER));
    }

    @Test
    void readsEveryRowOfTheStudy() {
        // 18 serial + 18 first-invocation + 18 concurrent files, 2 x 900 pods; the only non-2xx
        // responses are one 503 (wasm matmul) and one 502 (wasm user-manager) in 02-function-deployment
        assertThat(data.rejects()).isEmpty();
        assertThat(data.non2xx()).extracting(ResponseData.StatusCount::status).containsExactlyInAnyOrder(502, 503);
        assertThat(data.counts()).contains(new Count("responses_non2xx", 2));
        assertThat(values("serial", "aes", Runtime.WASM)).hasSize(4972);
        assertThat(values("first-invocation", "matmul", Runtime.WASM)).hasSize(99);
        assertThat(values("concurrent", "fuzzysearch", Runtime.CONTAINER)).hasSize(1476);
        assertThat(values("instantiation", "prime-numbers", Runtime.WASM)).hasSize(100);
        assertThat(data.samples().stream().filter(s -> s.scenario().equals("instantiation")))
                .hasSize(1800);
    }

    /** Table 3 (serial) and Table 4 (concurrent): sample SD (n-1) and CV = population SD / mean. */
    @ParameterizedTest(name = "{0} {1}: SD/CV wasm {2}/{3}, openfaas {4}/{5}")
    @CsvSource({
        "serial,     aes,          0.0055, 0.0907, 0.0068, 0.1312",
        "serial,     fuzzysearch,  0.0137, 0.1029, 0.0606, 0.4317",
        "serial,     user-manager, 0.0121, 0.1522, 0.0131, 0.1608",
        "concurrent, aes,          0.0253, 0.2828, 0.0205, 0.2711",
        "concurrent, n-body,       0.0200, 0.3347, 0.0199, 0.3277",
    })
    void publishedVariability(
            String scenario, String function, double sdWasm, double cvWasm, double sdOf, double cvOf) {
        SummaryStats wasm = stats(scenario, function, Runtime.WASM, HeyCsvReader.METRIC);
        SummaryStats container = stats(scenario, function, Runtime.CONTAINER, HeyCsvReader.METRIC);
        assertThat(wasm.sd()).isCloseTo(sdWasm, within(0.00005));
        assertThat(wasm.cv()).isCloseTo(cvWasm, within(0.00005));
        assertThat(container.sd()).isCloseTo(sdOf, within(0.00005));
        assertThat(container.cv()).isCloseTo(cvOf, within(0.00005));
    }

    /** Concurrent execution: only n-body and whatlang show no significant difference. */
    @ParameterizedTest(name = "concurrent {0}")
    @CsvSource({
        "aes,              -1",
        "float-operation,  -1",
        "fuzzysearch,      -1",
        "linear-equations, -1",
        "matmul,           -1",
        "n-body,           0.23",
        "prime-numbers,    -1",
        "user-manager,     -1",
        "whatlang,         0.25",
    })
    void publishedConcurrentMannWhitney(String function, double publishedP) {
        Comparison c = compare("concurrent", function, HeyCsvReader.METRIC);
        assertThat(c.nWasm()).isEqualTo(1500);
        if (publishedP < 0) {
            assertThat(c.pValue()).isLessThan(0.05);
        } else {
            assertThat(c.pValue()).isCloseTo(publishedP, within(0.005));
        }
        assertThat(c.log10P()).isCloseTo(Math.log10(c.pValue()), within(1e-9));
    }

    /** Fig. 4: about 0.82 s (WASM) vs 1.72 s (OpenFaaS) from pod creation to container start. */
    @ParameterizedTest(name = "instantiation {0}")
    @CsvSource({
        "aes",
        "float-operation",
        "fuzzysearch",
        "linear-equations",
        "matmul",
        "n-body",
        "prime-numbers",
        "user-manager",
        "whatlang",
    })
    void publishedInstantiationMeans(String function) {
        Comparison c = compare("instantiation", function, "created_to_started");
        assertThat(c.nWasm()).isEqualTo(100);
        assertThat(c.nContainer()).isEqualTo(100);
        // per function the means spread 0.805..0.844 s and 1.703..1.741 s around the published ones
        assertThat(c.meanWasm()).isCloseTo(0.82, within(0.03));
        assertThat(c.meanContainer()).isCloseTo(1.72, within(0.03));
        assertThat(c.speedup()).isGreaterThan(1.9);
    }

    @Test
    void publishedOverallInstantiationMeans() {
        double wasm = data.samples().stream()
                .filter(s -> s.scenario().equals("instantiation") && s.runtime() == Runtime.WASM)
                .mapToDouble(Sample::value)
                .average()
                .orElseThrow();
        double container = data.samples().stream()
                .filter(s -> s.scenario().equals("instantiation") && s.runtime() == Runtime.CONTAINER)
                .mapToDouble(Sample::value)
                .average()
                .orElseThrow();
        assertThat(wasm).isCloseTo(0.82, within(0.005));
        assertThat(container).isCloseTo(1.72, within(0.005));
    }

    @Test
    void aFolderOfAnotherLayoutIsNamed(@TempDir Path empty) {
        assertThatThrownBy(() -> PaperData.load(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("01-serial-execution is missing");
    }
}
