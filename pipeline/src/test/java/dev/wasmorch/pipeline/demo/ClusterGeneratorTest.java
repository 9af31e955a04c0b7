package dev.wasmorch.pipeline.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.lifecycle.NativeLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterGeneratorTest {

    /** contract/log-format.md's grammar: marker, then key=value with bare or Go-quoted values. */
    private static final String BARE = "[A-Za-z0-9._:/@+,-]+";

    private static final String QUOTED =
            "\"(?:[^\"\\\\\\p{Cntrl}]|\\\\(?:[abfnrtv\\\\\"]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}))*\"";
    private static final Pattern FIELD = Pattern.compile(" +([a-z]+)=(" + BARE + "|" + QUOTED + ")");
    private static final Pattern LINE =
            Pattern.compile("WASMORCH-LIFECYCLE/1(?: +[a-z]+=(?:" + BARE + "|" + QUOTED + "))+ *");
    private static final Pattern TS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6,9}Z");
    private static final Set<String> EVENTS = Set.of(
            "PodCreated",
            "PodScheduled",
            "PodSeen",
            "SandboxReady",
            "ContainerCreated",
            "ContainerStarted",
            "PodReady",
            "PodDeleted",
            "KubeEvent",
            "TaskCreated",
            "ModuleCompiled",
            "Listening",
            "FirstRequest");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void sameSeedGivesSameBytesAndAnotherSeedDoesNot() throws IOException {
        GeneratedCluster a = new ClusterGenerator(GeneratorOptions.of(120, 0.5, 42, 2)).generate(tmp.resolve("a"));
        GeneratedCluster b = new ClusterGenerator(GeneratorOptions.of(120, 0.5, 42, 2)).generate(tmp.resolve("b"));
        GeneratedCluster c = new ClusterGenerator(GeneratorOptions.of(120, 0.5, 43, 2)).generate(tmp.resolve("c"));
        assertThat(a.logFiles()).hasSize(3);
        for (int i = 0; i < a.logFiles().size(); i++) {
            assertThat(Files.readAllBytes(a.logFiles().get(i)))
                    .isEqualTo(Files.readAllBytes(b.logFiles().get(i)));
        }
        assertThat(Files.readAllBytes(a.podsJson())).isEqualTo(Files.readAllBytes(b.podsJson()));
        assertThat(Files.readAllBytes(c.logFiles().get(0)))
                .isNotEqualTo(Files.readAllBytes(a.logFiles().get(0)));
        assertThat(c.lifecycleLines()).isEqualTo(a.lifecycleLines());
    }

    @Test
    void linesCountsAndNoiseRatioAreAsReported() throws IOException {
        GeneratedCluster run = new ClusterGenerator(GeneratorOptions.of(600, 0.6, 7, 3)).generate(tmp);
        long lines = 0;
        long marked = 0;
        for (Path f : run.logFiles()) {
            for (String m : messages(f)) {
                lines++;
                marked += m.contains(NativeLine.MARKER) ? 1 : 0;
            }
        }
        assertThat(lines).isEqualTo(run.lines());
        assertThat(marked).isEqualTo(run.lifecycleLines() + run.malformedLines());
        assertThat(run.lines()).isEqualTo(run.lifecycleLines() + run.malformedLines() + run.noiseLines());
        assertThat((double) run.noiseLines() / run.lines()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.002));
        // Every complete pod: PodCreated, SuccessfulCreate, PodScheduled and five kubelet events.
        assertThat(run.incompletePods()).isBetween(1, 600 / PodPlanner.INCOMPLETE_EVERY + 1);
        assertThat(run.lifecycleLines())
                .isBetween(8L * (600 - run.incompletePods()) + 5L * run.incompletePods(), 8L * 600);
        assertThat(run.malformedLines())
                .isEqualTo(600 / ClusterGenerator.MALFORMED_EVERY
                        + (600 % ClusterGenerator.MALFORMED_EVERY > ClusterGenerator.MALFORMED_EVERY / 2 ? 1 : 0));
    }

    @Test
    void everyLifecycleLineFollowsTheGrammarButTheDeliberatelyDamagedOnes() throws IOException {
        GeneratedCluster run = new ClusterGenerator(GeneratorOptions.of(700, 0.3, 11, 2)).generate(tmp);
        long valid = 0;
        long invalid = 0;
        Map<String, Map<String, Instant>> byPod = new HashMap<>();
        for (Path f : run.logFiles()) {
            Instant previous = Instant.MIN;
            for (String m : messages(f)) {
                int at = m.indexOf(NativeLine.MARKER);
                if (at < 0) {
                    continue;
                }
                Map<String, String> fields = strictParse(m.substring(at));
                if (fields == null) {
                    invalid++;
                    continue;
                }
                valid++;
                Instant ts = Instant.parse(fields.get("ts"));
                assertThat(ts).as("lines of %s in time order", f).isAfterOrEqualTo(previous);
                previous = ts;
                if (fields.containsKey("pod")) {
                    byPod.computeIfAbsent(fields.get("pod"), k -> new HashMap<>())
                            .put(fields.get("event"), ts);
                }
                if (f.getFileName().toString().startsWith("agent-")) {
                    assertThat(fields.get("host"))
                            .isEqualTo(f.getFileName().toString().replaceAll("\\..*", ""));
                }
            }
        }
        assertThat(valid).isEqualTo(run.lifecycleLines());
        assertThat(invalid).isEqualTo(run.malformedLines()).isGreaterThanOrEqualTo(MalformedLines.VARIANTS);
        assertThat(byPod).hasSize(700);
        long complete = byPod.values().stream()
                .filter(e -> e.containsKey("ContainerStarted"))
                .count();
        assertThat(complete).isEqualTo(700 - run.incompletePods());
        for (Map<String, Instant> e : byPod.values()) {
            assertThat(e).containsKeys("PodCreated", "PodScheduled", "PodSeen", "SandboxReady");
            assertThat(e.get("PodScheduled")).isAfter(e.get("PodCreated"));
            if (e.containsKey("ContainerStarted")) {
                assertThat(e.get("ContainerStarted")).isAfter(e.get("PodSeen"));
                assertThat(e.get("PodReady")).isAfter(e.get("ContainerStarted"));
            }
        }
    }

    @Test
    void instantiationTimesFollowTheStudy() throws IOException {
        GeneratedCluster run = new ClusterGenerator(GeneratorOptions.of(900, 0, 5, 2)).generate(tmp);
        JsonNode items = JSON.readTree(run.podsJson().toFile()).get("items");
        Map<String, Boolean> wasm = new HashMap<>();
        items.forEach(i -> wasm.put(
                i.at("/metadata/name").asText(), i.at("/spec/runtimeClassName").isTextual()));
        Map<String, Instant> scheduled = new HashMap<>();
        List<Double> wasmTimes = new ArrayList<>();
        List<Double> containerTimes = new ArrayList<>();
        List<Map<String, String>> started = new ArrayList<>();
        for (Path f : run.logFiles()) {
            for (String m : messages(f)) {
                int at = m.indexOf(NativeLine.MARKER);
                Map<String, String> fields = at < 0 ? null : strictParse(m.substring(at));
                if (fields != null && fields.get("event").equals("PodScheduled")) {
                    scheduled.put(fields.get("pod"), Instant.parse(fields.get("ts")));
                } else if (fields != null
                        && fields.get("event").equals("ContainerStarted")
                        && !fields.get("host").equals("agent-2")) {
                    started.add(fields);
                }
            }
        }
        for (Map<String, String> s : started) {
            double secs = Duration.between(scheduled.get(s.get("pod")), Instant.parse(s.get("ts")))
                            .toNanos()
                    / 1e9;
            (wasm.get(s.get("pod")) ? wasmTimes : containerTimes).add(secs);
        }
        assertThat(mean(wasmTimes)).isBetween(0.78, 0.87);
        assertThat(mean(containerTimes)).isBetween(1.64, 1.82);
    }

    @Test
    void podsJsonIsAKubectlListMatchingTheLogs() throws IOException {
        GeneratedCluster run = new ClusterGenerator(GeneratorOptions.of(60, 0.2, 3, 2)).generate(tmp);
        JsonNode list = JSON.readTree(run.podsJson().toFile());
        assertThat(list.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(list.get("kind").asText()).isEqualTo("List");
        assertThat(list.get("items")).hasSize(60);
        Set<String> functions = new HashSet<>();
        Set<String> uids = new HashSet<>();
        String logs = Files.readString(run.logFiles().get(0));
        for (JsonNode pod : list.get("items")) {
            JsonNode meta = pod.get("metadata");
            assertThat(Instant.parse(meta.get("creationTimestamp").asText()).getNano())
                    .isZero();
            assertThat(meta.at("/ownerReferences/0/kind").asText()).isEqualTo("ReplicaSet");
            assertThat(meta.get("name").asText())
                    .startsWith(meta.at("/ownerReferences/0/name").asText() + "-");
            assertThat(pod.at("/spec/nodeName").asText()).matches("agent-[12]");
            assertThat(pod.at("/spec/containers/0/image").asText()).startsWith("ghcr.io/wasmorch/functions/");
            assertThat(logs)
                    .contains("pod=" + meta.get("name").asText() + " uid="
                            + meta.get("uid").asText());
            uids.add(meta.get("uid").asText());
            if (pod.at("/spec/runtimeClassName").isMissingNode()) {
                assertThat(meta.get("namespace").asText()).isEqualTo("openfaas-fn");
                functions.add("container:" + meta.at("/labels/faas_function").asText());
                assertThat(meta.at("/annotations/wasmorch.dev~1runtime").isMissingNode())
                        .isTrue();
            } else {
                assertThat(pod.at("/spec/runtimeClassName").asText()).isIn("spin", "wasmorch");
                assertThat(meta.at("/annotations/wasmorch.dev~1runtime").asText())
                        .isEqualTo("wasm");
                functions.add(
                        "wasm:" + meta.at("/labels/wasmorch.dev~1function").asText());
            }
            assertThat(meta.at("/labels/wasmorch.dev~1scenario").asText()).isEqualTo("demo");
        }
        assertThat(uids).hasSize(60);
        assertThat(functions)
                .hasSize(18)
                .contains("wasm:aes", "container:whatlang", "wasm:n-body", "container:user-manager");
    }

    @Test
    void journaldAgentWritesJournalctlJsonRecordsAndGzipKeepsTheContent() throws IOException {
        GeneratorOptions plain = GeneratorOptions.of(80, 0.4, 9, 2);
        GeneratedCluster a = new ClusterGenerator(plain).generate(tmp.resolve("plain"));
        GeneratedCluster z = new ClusterGenerator(plain.withGzip(true)).generate(tmp.resolve("gz"));
        assertThat(a.logFiles().get(2).getFileName()).hasToString("agent-2.json");
        assertThat(z.logFiles().get(2).getFileName()).hasToString("agent-2.json.gz");
        for (int i = 0; i < a.logFiles().size(); i++) {
            assertThat(messagesRaw(z.logFiles().get(i)))
                    .isEqualTo(messagesRaw(a.logFiles().get(i)));
        }
        for (String raw : messagesRaw(a.logFiles().get(2))) {
            JsonNode rec = JSON.readTree(raw);
            assertThat(rec.get("_HOSTNAME").asText()).isEqualTo("agent-2");
            assertThat(rec.get("_SYSTEMD_UNIT").asText()).isEqualTo("k3s-agent.service");
            assertThat(rec.get("__REALTIME_TIMESTAMP").asText()).matches("\\d{16}");
            assertThat(rec.get("MESSAGE").asText()).isNotEmpty();
        }
        assertThat(messagesRaw(a.logFiles().get(1)).get(0))
                .matches("[IWE]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ .*|time=.*");
        GeneratedCluster noJournal = new ClusterGenerator(plain.withJournald(false)).generate(tmp.resolve("nj"));
        assertThat(noJournal.logFiles().get(2).getFileName()).hasToString("agent-2.log");
    }

    @Test
    void aLargeRunStreamsWithABoundedWindow() throws IOException {
        List<String> progress = new ArrayList<>();
        GeneratedCluster run = new ClusterGenerator(GeneratorOptions.of(2_600, 0.9, 1, 3), progress::add).generate(tmp);
        assertThat(run.lines()).isGreaterThan(200_000);
        // Lines are held back only while their pod (and a few overlapping ones) is in flight.
        assertThat(run.peakBuffered()).isLessThan(200);
        assertThat(progress).hasSize(10).last().asString().contains("100%");
    }

    @Test
    void badOptionsAreRefusedByName() {
        assertThatThrownBy(() -> GeneratorOptions.of(10, 1.0, 1, 2)).hasMessageContaining("noise ratio");
        assertThatThrownBy(() -> GeneratorOptions.of(0, 0.5, 1, 2)).hasMessageContaining("pods");
        assertThatThrownBy(() -> GeneratorOptions.of(10, 0.5, 1, 1)).hasMessageContaining("agents");
    }

    /** Validates a native line strictly; returns its fields, or null when it breaks the contract. */
    private static Map<String, String> strictParse(String line) {
        if (!LINE.matcher(line).matches()) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            if (fields.put(m.group(1), m.group(2)) != null) {
                return null;
            }
        }
        String ts = fields.get("ts");
        String event = fields.get("event");
        if (ts == null || !TS.matcher(ts).matches() || event == null || !EVENTS.contains(event)) {
            return null;
        }
        try {
            Instant.parse(ts);
        } catch (RuntimeException e) {
            return null;
        }
        boolean required = fields.containsKey("ns")
                && fields.containsKey("host")
                && fields.containsKey("component")
                && (event.equals("KubeEvent") ? fields.containsKey("reason") : fields.containsKey("pod"));
        return required ? fields : null;
    }

    /** The log messages of a file: the lines, or the MESSAGE of journald records. */
    private static List<String> messages(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        for (String raw : messagesRaw(f)) {
            out.add(
                    raw.startsWith("{\"__REALTIME")
                            ? JSON.readTree(raw).get("MESSAGE").asText()
                            : raw);
        }
        return out;
    }

    private static List<String> messagesRaw(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = f.toString().endsWith(".gz")
                        ? new GZIPInputStream(Files.newInputStream(f))
                        : Files.newInputStream(f);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                out.add(l);
            }
        }
        return out;
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
