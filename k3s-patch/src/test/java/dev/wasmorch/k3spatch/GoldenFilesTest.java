package dev.wasmorch.k3spatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.model.Reject;
import dev.wasmorch.pipeline.parse.LineParser;
import dev.wasmorch.pipeline.parse.ParseResult;
import dev.wasmorch.pipeline.parse.ParserOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the lines the patched K3s prints for one WASM and one container pod on a two-node cluster
 * (k3s-patch/testdata: the --log file, journald's text and journalctl -o json of each node) with
 * the pipeline's parser, and checks that they give no reject and exactly the intervals of
 * expected-intervals.csv. The lifecycle is assembled here as contract/log-format.md says: per pod and
 * phase the native hook beats a KubeEvent, then the earliest wins.
 */
class GoldenFilesTest {

    private static final Path TESTDATA = RepoPaths.k3sPatch().resolve("testdata");
    private static final String MARKER = "WASMORCH-LIFECYCLE/1";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"k3s.log", "journal.txt", "journal.json"})
    void eachFormatGivesTheExpectedIntervals(String format) throws IOException {
        List<Path> files = nodeFiles(format);
        assertThat(files).as("one %s per node", format).hasSize(2);

        List<LifecycleEvent> events = new ArrayList<>();
        List<Reject> rejects = new ArrayList<>();
        int markerLines = 0;
        LineParser parser = new LineParser(ParserOptions.defaults());
        for (Path file : files) {
            long mtime = Files.getLastModifiedTime(file).toMillis();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                markerLines += lines.get(i).contains(MARKER) ? 1 : 0;
                ParseResult r = parser.parse(RawLine.of(file.toString(), i + 1, lines.get(i), mtime));
                events.addAll(r.events());
                if (r.reject() != null) {
                    rejects.add(r.reject());
                }
            }
        }

        assertThat(rejects).isEmpty();
        assertThat(markerLines).isEqualTo(22);
        Map<String, Map<Phase, LifecycleEvent>> pods = assemble(events);
        assertThat(pods).containsOnlyKeys("default/aes-wasm-6d8f7c9b5-7xk2q", "default/aes-oci-5c7b9d4f8-m4n8p");
        Map<String, Double> actual = intervals(pods);
        Map<String, Double> expected = expected();
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        // expected-intervals.csv is rounded to the microsecond, the analyzer's resolution
        expected.forEach((key, seconds) -> assertThat(actual.get(key)).as(key).isCloseTo(seconds, within(1e-6)));

        LifecycleEvent wasmStarted =
                pods.get("default/aes-wasm-6d8f7c9b5-7xk2q").get(Phase.CONTAINER_STARTED);
        assertThat(wasmStarted.handler()).isEqualTo("spin");
        assertThat(wasmStarted.host()).isEqualTo("k3s-agent-1");
        assertThat(wasmStarted.container()).isEqualTo("aes");
        LifecycleEvent created = pods.get("default/aes-wasm-6d8f7c9b5-7xk2q").get(Phase.CREATED);
        assertThat(created.host()).as("SuccessfulCreate is taken on the server").isEqualTo("k3s-server");
        for (Map<Phase, LifecycleEvent> pod : pods.values()) {
            assertThat(pod.get(Phase.SEEN).host())
                    .as("seen_to_started is node-local")
                    .isEqualTo(pod.get(Phase.CONTAINER_STARTED).host());
        }
    }

    private static List<Path> nodeFiles(String format) throws IOException {
        try (Stream<Path> nodes = Files.list(TESTDATA)) {
            return nodes.filter(Files::isDirectory)
                    .map(d -> d.resolve(format))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }

    /** Per pod and phase the event to believe: a native hook before a KubeEvent, then the earliest. */
    private static Map<String, Map<Phase, LifecycleEvent>> assemble(List<LifecycleEvent> events) {
        Comparator<LifecycleEvent> belief =
                Comparator.comparing(LifecycleEvent::origin).thenComparing(LifecycleEvent::time);
        Map<String, Map<Phase, LifecycleEvent>> pods = new TreeMap<>();
        for (LifecycleEvent e : events) {
            pods.computeIfAbsent(e.podKey(), k -> new EnumMap<>(Phase.class))
                    .merge(e.phase(), e, (a, b) -> belief.compare(a, b) <= 0 ? a : b);
        }
        return pods;
    }

    /** "pod,metric" to seconds, for every metric both of whose phases the pod has. */
    private static Map<String, Double> intervals(Map<String, Map<Phase, LifecycleEvent>> pods) {
        Map<String, Double> out = new TreeMap<>();
        pods.forEach((pod, phases) -> {
            for (Metric m : Metric.values()) {
                LifecycleEvent from = phases.get(m.from());
                LifecycleEvent to = phases.get(m.to());
                if (from != null && to != null) {
                    out.put(
                            pod + "," + m.label(),
                            Duration.between(from.time(), to.time()).toNanos() / 1e9);
                }
            }
        });
        return out;
    }

    private static Map<String, Double> expected() throws IOException {
        List<String> lines = Files.readAllLines(TESTDATA.resolve("expected-intervals.csv"), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("pod,metric,seconds");
        Map<String, Double> out = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(f).as(line).hasSize(3);
            out.put(f[0] + "," + f[1], Double.parseDouble(f[2]));
        }
        assertThat(out).hasSize(12);
        return out;
    }
}
