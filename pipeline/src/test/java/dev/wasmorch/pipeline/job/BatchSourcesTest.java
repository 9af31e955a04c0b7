package dev.wasmorch.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.join.ClassifierOptions;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.model.Runtime;
import dev.wasmorch.pipeline.model.Sample;
import dev.wasmorch.pipeline.parse.ParserOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which sources the batch graph gets: one per input that has data, each small one a single subtask. */
class BatchSourcesTest {

    @TempDir
    Path dir;

    @Test
    void emptyInputsGetNoSource() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "");
        Path pods = Files.writeString(dir.resolve("pods.json"), "{}");
        Map<String, Integer> sources =
                sources(new AnalysisInputs(List.of(log), List.of(), pods, true, List.of(), List.of(), List.of()));

        assertThat(sources).containsOnlyKeys("log-files", "pod-snapshot");
    }

    @Test
    void everyInputWithDataGetsItsSourceOfOneSubtask() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "");
        Path pods = Files.writeString(dir.resolve("pods.json"), "{}");
        PodMetadata pod = new PodMetadata("u", "fn", "p", "n", null, Map.of(), Map.of(), null, null, List.of(), null);
        Map<String, Integer> sources = sources(new AnalysisInputs(
                List.of(log),
                List.of(pod),
                pods,
                true,
                List.of(new Sample("serial", "aes", Runtime.WASM, "response_time", 0.05)),
                List.of(new Count("responses_non2xx", 1)),
                List.of(new Reject("hey.csv", 2, "hey_value", "x", "y"))));

        assertThat(sources)
                .containsOnlyKeys(
                        "log-files", "pod-snapshot", "pod-metadata", "csv-samples", "csv-rejects", "csv-counts");
        sources.forEach((name, parallelism) -> {
            if (!name.equals("log-files") && !name.equals("pod-snapshot")) {
                assertThat(parallelism).as(name).isEqualTo(1);
            }
        });
    }

    @Test
    void noInputAtAllStillGivesTheJoinItsTwoSides() throws Exception {
        Map<String, Integer> sources =
                sources(new AnalysisInputs(List.of(), List.of(), null, false, List.of(), List.of(), List.of()));

        assertThat(sources).containsOnlyKeys("no-logs", "pod-metadata").containsValues(1);
    }

    /** Source name → parallelism of the graph the batch job would run. */
    private Map<String, Integer> sources(AnalysisInputs in) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        BatchAnalysis.build(
                env,
                in,
                ParserOptions.defaults(),
                JoinOptions.batch(ClassifierOptions.defaults(), in.metadataGiven()),
                dir.resolve("out"),
                null);
        StreamGraph graph = env.getStreamGraph();
        return graph.getSourceIDs().stream()
                .map(graph::getStreamNode)
                .collect(Collectors.toMap(
                        node -> node.getOperatorName().replaceFirst("^Source: ", ""), StreamNode::getParallelism));
    }
}
