package dev.wasmorch.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.experiment.catalog.CatalogReader;
import dev.wasmorch.experiment.model.Failure;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.ImageSize;
import dev.wasmorch.experiment.model.PodRecord;
import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.PodTimings;
import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result files against the study's published files (shared/paper-data, resolved as
 * {@code <repo>/../shared/paper-data}; the layout tests skip visibly when it is absent): the same
 * relative paths, the same first lines.
 */
class ResultWriterTest {

    static final Path PAPER_DATA =
            Path.of("..", "..", "shared", "paper-data").toAbsolutePath().normalize();

    static List<FunctionSpec> functions;

    @TempDir
    Path out;

    @BeforeAll
    static void catalog() throws Exception {
        functions =
                CatalogReader.read(Path.of("..", "functions", "catalog.json")).functions();
    }

    @Test
    void aFullRunHasTheStudysFilesUnderTheStudysNamesAndHeaders() throws Exception {
        assumeTrue(Files.isDirectory(PAPER_DATA), "the study's data is not at " + PAPER_DATA + ": skipped");
        ResultWriter writer = new ResultWriter(new Layout(out));
        HeyCsv.Output hey = HeyCsv.parse(HeyCsv.HEADER + "\n0.0661,0.0402,0.0002,0.0001,0.0192,0.0065,200,0.0024\n");
        for (FunctionSpec f : functions) {
            for (Runtime r : Runtime.values()) {
                writer.responses(Scenario.SERIAL, f.name(), r, hey);
                writer.responses(Scenario.CONCURRENT, f.name(), r, hey);
                writer.firstInvocation(f.name(), r, hey);
                writer.instantiation(
                        pod(f, r, 1, new PodTimings(1_000_000L, 1_200_000L, 1_300_000L, 1_823_456L, 1_900_000L)));
            }
        }

        assertThat(studyFiles(out)).isEqualTo(studyFiles(PAPER_DATA));
        for (String file : studyFiles(PAPER_DATA)) {
            assertThat(firstLine(out.resolve(file))).as(file).isEqualTo(firstLine(PAPER_DATA.resolve(file)));
        }
        assertThat(Files.readAllLines(out.resolve("04-instantiation-time/wasm-instantiation-time.csv")))
                .startsWith("pod_name,test_name,init_time", "aes-wasm-i-1,aes,0.823456");
    }

    @Test
    void heyRunsAreAppendedUnderOneHeaderAsTheStudysFirstInvocations() throws Exception {
        ResultWriter writer = new ResultWriter(new Layout(out));
        for (int i = 0; i < 3; i++) {
            writer.firstInvocation(
                    "aes", Runtime.CONTAINER, HeyCsv.parse(HeyCsv.HEADER + "\n0.0" + i + "00,0,0,0,0,0,200,0.0001\n"));
        }

        assertThat(Files.readAllLines(out.resolve("02-function-deployment/openfaas/aes-function-deployment.csv")))
                .containsExactly(
                        HeyCsv.HEADER,
                        "0.0000,0,0,0,0,0,200,0.0001",
                        "0.0100,0,0,0,0,0,200,0.0001",
                        "0.0200,0,0,0,0,0,200,0.0001");
    }

    @Test
    void heyOutputThatIsNotItsCsvIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> HeyCsv.parse(HeyCsv.HEADER + "\n0.1,0.2,200\n"))
                .hasMessageContaining("hey output line 2: 3 columns, expected 8");
        assertThatThrownBy(() -> HeyCsv.parse("0.1,0,0,0,0,0,OK,0\n"))
                .hasMessageContaining("line 1: status-code 'OK' is not a number");
        HeyCsv.Output mixed = HeyCsv.parse("0.1,0,0,0,0,0,200,0\n0.2,0,0,0,0,0,502,0\n");
        assertThat(mixed.ok()).isEqualTo(1);
        assertThat(mixed.statuses()).containsExactly(200, 502);
    }

    @Test
    void failuresKeepTheirErrorAsOneSafeCell() throws Exception {
        ResultWriter writer = new ResultWriter(new Layout(out));
        writer.failure(new Failure(
                "instantiation",
                "aes",
                Runtime.WASM,
                3,
                "aes-wasm-i-3",
                "deploy (attempt 1)",
                "rpc error: code = Unknown, desc = \"boom\"\nsecond line",
                1_700_000_000_123_456L));
        writer.failure(new Failure("sizes", "aes", null, 1, "", "size", "=HYPERLINK(\"x\")", 1_700_000_000_000_000L));

        String text = Files.readString(out.resolve("failures.csv"));
        assertThat(text)
                .startsWith(
                        "scenario,function,runtime,repetition,pod,step,error,at\n"
                                + "instantiation,aes,wasm,3,aes-wasm-i-3,deploy (attempt 1),"
                                + "\"rpc error: code = Unknown, desc = \"\"boom\"\"\nsecond line\",2023-11-14T22:13:20.123456Z\n")
                .endsWith("sizes,aes,,1,,size,\"'=HYPERLINK(\"\"x\"\")\",2023-11-14T22:13:20Z\n");
    }

    @Test
    void podsJsonIsAPodListWithTheLabelsTheAnalyzerClassifiesBy() throws Exception {
        ResultWriter writer = new ResultWriter(new Layout(out));
        PodRecord ready = pod(functions.get(0), Runtime.WASM, 1, PodTimings.NONE.withCreated(1));
        PodRecord failed = new PodRecord(
                new PodRef("wasmorch-lab", "matmul-ctr-s-1", "uid-2"),
                new PodSpec("matmul-ctr-s-1", functions.get(4), Runtime.CONTAINER, "serial"),
                PodTimings.NONE,
                "never ready");
        writer.pods(List.of(ready, failed), Map.of(Runtime.WASM, "wasmorch", Runtime.CONTAINER, "runc"));
        writer.imageSize(new ImageSize("aes", Runtime.WASM, "docker.io/wasmorch/aes:wasm", 25600));

        JsonNode list = new ObjectMapper().readTree(out.resolve("pods.json").toFile());
        assertThat(list.get("kind").asText()).isEqualTo("List");
        JsonNode second = list.get("items").get(1);
        assertThat(second.get("kind").asText()).isEqualTo("Pod");
        assertThat(second.at("/metadata/uid").asText()).isEqualTo("uid-2");
        assertThat(second.at("/metadata/labels/wasmorch.dev~1function").asText())
                .isEqualTo("matmul");
        assertThat(second.at("/metadata/labels/wasmorch.dev~1scenario").asText())
                .isEqualTo("serial");
        assertThat(second.at("/metadata/annotations/wasmorch.dev~1runtime").asText())
                .isEqualTo("container");
        assertThat(second.at("/spec/runtimeClassName").asText()).isEqualTo("runc");
        assertThat(Files.readAllLines(out.resolve("image-sizes.csv")))
                .containsExactly("function,runtime,image,bytes", "aes,wasm,docker.io/wasmorch/aes:wasm,25600");
    }

    static PodRecord pod(FunctionSpec f, Runtime r, int rep, PodTimings t) {
        String name = f.name() + "-" + (r == Runtime.WASM ? "wasm" : "ctr") + "-i-" + rep;
        return new PodRecord(
                new PodRef("wasmorch-lab", name, "uid-" + name), new PodSpec(name, f, r, "instantiation"), t, null);
    }

    /** The CSV files under a layout root, as relative paths. */
    private static Set<String> studyFiles(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".csv"))
                    .filter(p -> p.getFileName()
                            .toString()
                            .matches(".*-(serial|function-deployment|concurrent-execution|instantiation-time)\\.csv"))
                    .map(p -> root.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static String firstLine(Path file) throws Exception {
        try (var lines = Files.lines(file)) {
            return lines.findFirst().orElseThrow();
        }
    }
}
