package dev.wasmorch.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.demo.ClusterGenerator;
import dev.wasmorch.pipeline.demo.GeneratedCluster;
import dev.wasmorch.pipeline.demo.GeneratorOptions;
import dev.wasmorch.pipeline.join.ClassifierOptions;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.join.LifecycleAssembler;
import dev.wasmorch.pipeline.join.LifecycleSamples;
import dev.wasmorch.pipeline.metadata.PodSnapshotReader;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.model.Reject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * Mutates real lines of every dialect and runs them through the parse operator and the join's
 * assembly, asserting three things: no exception escapes; every reject is counted and listed, once,
 * at a line that exists; the results of every pod that no mutated line speaks of are unchanged.
 *
 * <p>The lines are a generated cluster's logs (native lines in klog and journald envelopes, with
 * its own malformed lines and noise) and one line of each older dialect. The number of tries is
 * bounded for CI by jqwik's default (1000); run longer on demand with
 * {@code mvn -pl pipeline test -Dtest=LogFuzzTest -Djqwik.tries.default=100000}. Past crashers are
 * replayed from {@code src/test/resources/fuzz/crashers}.
 */
class LogFuzzTest {

    private static final long MTIME = Lines.MTIME;
    private static final String DIALECTS = "dialects.log";

    /** What mutations insert: the characters and escapes that broke parsers before, and digits. */
    private static final List<String> TOKENS = List.of(
            "\"",
            "\\",
            "=",
            " ",
            "\t",
            "\r",
            "\u0000",
            "\u007f",
            "\uD800",
            "\uDC00",
            "\uD83D\uDE00",
            "é",
            "\\xff",
            "\\xc3",
            "\\ud800",
            "\\U0010ffff",
            "\\U00110000",
            "\\777",
            "\\x",
            "9999",
            "0001",
            "0",
            "9",
            "-",
            ":",
            ".",
            "}",
            "{\"",
            "=cmd|' /C calc'!A0",
            "@SUM(A1)",
            "x".repeat(70_000));

    private static Path dir;
    private static Map<String, List<String>> corpus;
    private static List<PodMetadata> metadata;
    private static List<int[]> interesting;
    private static Outcome baseline;

    @BeforeContainer
    static void generateCorpus() throws Exception {
        dir = Files.createTempDirectory("log-fuzz-");
        GeneratedCluster c =
                new ClusterGenerator(GeneratorOptions.of(30, 0.2, 17, 2), line -> {}).generate(dir.resolve("cluster"));
        corpus = new LinkedHashMap<>();
        for (Path f : c.logFiles()) {
            corpus.put(f.getFileName().toString(), Files.readAllLines(f));
        }
        String journald = "{\"__REALTIME_TIMESTAMP\":\"1683886272654999\",\"_HOSTNAME\":\"k3s-worker-1\",\"MESSAGE\":\""
                + Lines.STUDY_STARTED.replace("\"", "\\\"") + "\"}";
        corpus.put(
                DIALECTS,
                List.of(
                        Lines.NATIVE_SCHEDULED,
                        Lines.SCHEDULER_BOUND,
                        Lines.KUBELET_STARTUP,
                        Lines.STUDY_STARTED,
                        Lines.EVENT_STARTED,
                        journald));
        metadata = PodSnapshotReader.read(c.podsJson());
        interesting = new ArrayList<>();
        List<String> files = List.copyOf(corpus.keySet());
        for (int f = 0; f < files.size(); f++) {
            List<String> lines = corpus.get(files.get(f));
            for (int i = 0; i < lines.size(); i++) {
                if (Stream.of(InterestFilter.TEXT_MARKERS).anyMatch(lines.get(i)::contains)) {
                    interesting.add(new int[] {f, i});
                }
            }
        }
        baseline = Outcome.of(corpus);
    }

    @AfterContainer
    static void removeCorpus() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Example
    void theUnmutatedCorpusGivesCompletePodsOfEveryGeneratedKind() throws Exception {
        assertThat(interesting).hasSizeGreaterThan(50);
        assertThat(baseline.pods()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(baseline.pods().values().stream().flatMap(List::stream))
                .anySatisfy(p -> assertThat(p.flags()).isEmpty());
        assertCountedAndListed(baseline, corpus);
        assertThat(Outcome.of(corpus).pods()).as("deterministic").isEqualTo(baseline.pods());
    }

    @Property
    void mutatedLinesAreCountedOrParsedAndOtherPodsStand(@ForAll("mutations") List<Mutation> mutations)
            throws Exception {
        Map<String, List<String>> mutated = new LinkedHashMap<>();
        corpus.forEach((file, lines) -> mutated.put(file, new ArrayList<>(lines)));
        Set<String> mutatedLines = new HashSet<>();
        List<String> files = List.copyOf(corpus.keySet());
        for (Mutation m : mutations) {
            String file = files.get(m.file());
            List<String> lines = mutated.get(file);
            lines.set(m.line(), m.applyTo(lines.get(m.line())));
            mutatedLines.add(file + ":" + (m.line() + 1));
        }

        Outcome out = Outcome.of(mutated); // 1. nothing escapes the operators

        assertCountedAndListed(out, mutated);
        // 3. a pod that no mutated line speaks of, before or after, keeps its results
        Set<String> touched = new HashSet<>(baseline.keysOf(mutatedLines));
        touched.addAll(out.keysOf(mutatedLines));
        for (Map.Entry<String, List<PodLifecycle>> e : baseline.pods().entrySet()) {
            if (!touched.contains(e.getKey())) {
                assertThat(out.pods().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        Statistics.label("rejects")
                .collect(out.rejects().size() > baseline.rejects().size());
        Statistics.label("pods kept").collect(baseline.pods().size() - touched.size() > 20);
        Statistics.label("rejects").coverage(c -> c.check(true).percentage(p -> p > 30));
        Statistics.label("pods kept").coverage(c -> c.check(true).percentage(p -> p > 90));
        Set<String> appeared = new HashSet<>(out.pods().keySet());
        appeared.removeAll(baseline.pods().keySet());
        assertThat(touched).as("new pods come only from mutated lines").containsAll(appeared);
    }

    @Example
    void everyPastCrasherIsCountedOrParsed() throws Exception {
        Path crashers = Path.of(LogFuzzTest.class.getResource("/fuzz/crashers").toURI());
        List<Path> logs;
        try (Stream<Path> s = Files.list(crashers)) {
            logs = s.filter(p -> p.toString().contains(".log")).sorted().toList();
        }
        assertThat(logs).hasSizeGreaterThanOrEqualTo(5);
        for (Path log : logs) {
            Map<String, List<String>> one = Map.of(log.getFileName().toString(), readLines(log));
            Outcome out = Outcome.of(one);
            assertCountedAndListed(out, one);
            assertThat(out.events().size() + out.rejects().size())
                    .as("%s is read", log)
                    .isPositive();
        }
    }

    /** 2. Every reject is counted by reason and listed once, with a line that exists and a reason. */
    private static void assertCountedAndListed(Outcome out, Map<String, List<String>> input) {
        long counted = out.counts().entrySet().stream()
                .filter(e -> e.getKey().startsWith("rejected:"))
                .mapToLong(Map.Entry::getValue)
                .sum();
        assertThat(counted).isEqualTo(out.rejects().size());
        Map<String, Long> byReason = out.rejects().stream()
                .collect(Collectors.groupingBy(Reject::reason, TreeMap::new, Collectors.counting()));
        byReason.forEach((reason, n) -> assertThat(out.counts()).containsEntry("rejected:" + reason, n));
        Set<String> seen = new HashSet<>();
        for (Reject r : out.rejects()) {
            assertThat(input).containsKey(r.file());
            assertThat(r.line()).isBetween(1L, (long) input.get(r.file()).size());
            assertThat(seen.add(r.file() + ":" + r.line()))
                    .as("one reject per line")
                    .isTrue();
            assertThat(r.reason()).isNotBlank();
            assertThat(r.detail()).isNotBlank();
            assertThat(r.excerpt()).hasSizeLessThanOrEqualTo(200);
        }
        long lines = input.values().stream().mapToLong(List::size).sum();
        assertThat(out.counts()).containsEntry("lines_read", lines);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<int[]> target = Arbitraries.of(interesting);
        Arbitrary<Mutation> one = Combinators.combine(
                        target,
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.of(TOKENS),
                        Arbitraries.integers().between(1, 40))
                .as((t, op, at, token, length) -> new Mutation(t[0], t[1], op, at, token, length));
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * One edit of one line.
     *
     * @param op 0 replace a char by the token, 1 insert the token, 2 delete {@code length} chars,
     *           3 cut the line there, 4 change a digit (a flipped year, a longer fraction)
     */
    record Mutation(int file, int line, int op, double at, String token, int length) {

        String applyTo(String text) {
            int i = (int) Math.min(text.length(), Math.floor(at * (text.length() + 1)));
            return switch (op) {
                case 0 -> text.substring(0, i) + token + text.substring(Math.min(text.length(), i + 1));
                case 1 -> text.substring(0, i) + token + text.substring(i);
                case 2 -> text.substring(0, i) + text.substring(Math.min(text.length(), i + length));
                case 3 -> text.substring(0, i);
                default -> flipDigit(text, i);
            };
        }

        private String flipDigit(String text, int from) {
            for (int k = 0; k < text.length(); k++) {
                int j = (from + k) % text.length();
                if (Character.isDigit(text.charAt(j))) {
                    char d = (char) ('0' + (text.charAt(j) - '0' + length) % 10);
                    return text.substring(0, j) + d + text.substring(j + 1);
                }
            }
            return text;
        }
    }

    /** What the operators made of an input: events, rejects, summed counters, and pods per namespace/name. */
    record Outcome(
            List<LifecycleEvent> events,
            List<Reject> rejects,
            Map<String, Long> counts,
            Map<String, List<PodLifecycle>> pods) {

        static Outcome of(Map<String, List<String>> files) throws Exception {
            List<LifecycleEvent> events;
            List<Reject> rejects;
            List<Count> counts;
            try (OneInputStreamOperatorTestHarness<RawLine, LifecycleEvent> h =
                    ProcessFunctionTestHarnesses.forProcessFunction(new ParseLogLines(ParserOptions.defaults()))) {
                for (Map.Entry<String, List<String>> f : files.entrySet()) {
                    List<String> lines = f.getValue();
                    for (int i = 0; i < lines.size(); i++) {
                        h.processElement(RawLine.of(f.getKey(), i + 1, lines.get(i), MTIME), 0);
                    }
                    h.processElement(RawLine.endOf(f.getKey(), lines.size(), MTIME), 0);
                }
                events = h.extractOutputValues();
                rejects = values(h.getSideOutput(ParseLogLines.REJECTS));
                counts = values(h.getSideOutput(ParseLogLines.COUNTS));
            }
            Map<String, Long> sums = new HashMap<>();
            counts.forEach(c -> sums.merge(c.name(), c.delta(), Long::sum));
            return new Outcome(events, rejects, sums, assemble(events));
        }

        private static <T> List<T> values(Collection<StreamRecord<T>> records) {
            return records == null
                    ? List.of()
                    : records.stream().map(StreamRecord::getValue).toList();
        }

        /** The join's assembly per namespace/name, and every sample it would feed the statistics. */
        private static Map<String, List<PodLifecycle>> assemble(List<LifecycleEvent> events) {
            LifecycleAssembler assembler =
                    new LifecycleAssembler(JoinOptions.batch(ClassifierOptions.defaults(), true));
            Map<String, List<LifecycleEvent>> byKey = new TreeMap<>();
            events.forEach(e ->
                    byKey.computeIfAbsent(e.podKey(), k -> new ArrayList<>()).add(e));
            Map<String, List<PodLifecycle>> pods = new TreeMap<>();
            byKey.forEach((key, list) -> {
                List<PodMetadata> meta = metadata.stream()
                        .filter(m -> key.equals(m.namespace() + "/" + m.name()))
                        .toList();
                List<PodLifecycle> assembled = assembler.assemble(list, meta);
                for (PodLifecycle p : assembled) {
                    for (Metric m : Metric.values()) {
                        LifecycleSamples.of(p, m);
                    }
                }
                pods.put(key, assembled);
            });
            return pods;
        }

        /** The pods that events of these lines ({@code file:line}) speak of. */
        Set<String> keysOf(Set<String> lines) {
            return events.stream()
                    .filter(e -> lines.contains(e.file() + ":" + e.line()))
                    .map(LifecycleEvent::podKey)
                    .collect(Collectors.toSet());
        }
    }

    private static List<String> readLines(Path file) throws IOException {
        // A damaged archive's readable head, as the source reads it; the source's damaged_file reject
        // is the batch test's matter (CrasherCorpusTest).
        if (!file.toString().endsWith(".gz")) {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                text.write(buf, 0, n);
            }
        } catch (IOException truncated) {
            // expected: the rest is what the source reports as damaged
        }
        String[] parts = text.toString(StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < parts.length - 1; i++) {
            lines.add(parts[i]);
        }
        return lines;
    }
}
