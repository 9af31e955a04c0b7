package dev.wasmorch.pipeline.join;

import static dev.wasmorch.pipeline.join.Events.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Runtime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyRuleTest {

    @TempDir
    Path dir;

    /** A pod seen only in the logs: namespace, name, node and maybe the CRI handler. */
    private static ClassifyRule.Pod logged(String namespace, String name, String node, String handler) {
        return ClassifyRule.Pod.of(null, namespace, name, node, handler);
    }

    private static Classifier.Decision decide(PodMetadata meta, ClassifyRule.Pod pod, String... rules) {
        List<ClassifyRule> parsed =
                List.of(rules).stream().map(ClassifyRule::parse).toList();
        return new Classifier(ClassifierOptions.defaults().withRules(parsed)).runtime(meta, pod);
    }

    @Test
    void eachMatcherMatchesItsField() {
        ClassifyRule.Pod pod = logged("openfaas-fn", "aes-wasm-x2x9k", "worker-2", "runc");
        ClassifyRule.Pod labelled = ClassifyRule.Pod.of(
                meta("u", null, Map.of("app.kubernetes.io/runtime", "wasm"), Map.of(), null, null),
                "default",
                "aes",
                "agent-1",
                null);

        assertThat(ClassifyRule.parse("container:namespace=openfaas-fn").matches(pod))
                .isTrue();
        assertThat(ClassifyRule.parse("container:namespace=openfaas").matches(pod))
                .isFalse();
        assertThat(ClassifyRule.parse("wasm:name~^.*-wasm-").matches(pod)).isTrue();
        assertThat(ClassifyRule.parse("wasm:name=aes").matches(pod)).isFalse();
        assertThat(ClassifyRule.parse("container:node=worker-2").matches(pod)).isTrue();
        assertThat(ClassifyRule.parse("container:node~^agent").matches(pod)).isFalse();
        assertThat(ClassifyRule.parse("container:runtimeClass=runc").matches(pod))
                .isTrue();
        assertThat(ClassifyRule.parse("wasm:label=app.kubernetes.io/runtime=wasm")
                        .matches(labelled))
                .isTrue();
        assertThat(ClassifyRule.parse("wasm:label~app.kubernetes.io/runtime=^w").matches(labelled))
                .isTrue();
        assertThat(ClassifyRule.parse("wasm:label=app.kubernetes.io/runtime=wasm")
                        .matches(pod))
                .as("no labels without metadata")
                .isFalse();
    }

    @Test
    void firstMatchingRuleWins() {
        ClassifyRule.Pod pod = logged("openfaas-fn", "aes-x2x9k", "worker-2", null);

        Classifier.Decision d =
                decide(null, pod, "wasm:node=worker-1", "container:namespace=openfaas-fn", "wasm:name~aes");

        assertThat(d.runtime()).isEqualTo(Runtime.CONTAINER);
        assertThat(d.rule().text()).isEqualTo("container:namespace=openfaas-fn");
        assertThat(decide(null, pod, "wasm:node=worker-1").runtime())
                .as("no rule matches and nothing else tells")
                .isNull();
    }

    @Test
    void metadataDecidesBeforeTheRules() {
        PodMetadata annotated = meta("u", null, Map.of(), Map.of("wasmorch.dev/runtime", "container"), null, null);
        PodMetadata wasmClass = meta("u", "spin", Map.of(), Map.of(), null, null);
        PodMetadata undecided = meta("u", null, Map.of("tier", "edge"), Map.of(), null, null);

        Classifier.Decision byAnnotation = decide(
                annotated, ClassifyRule.Pod.of(annotated, "default", "aes", "agent-1", null), "wasm:namespace=default");
        Classifier.Decision byClass = decide(
                wasmClass, ClassifyRule.Pod.of(wasmClass, "default", "aes", "agent-1", null), "container:name=aes");
        Classifier.Decision byLabel = decide(
                undecided, ClassifyRule.Pod.of(undecided, "default", "aes", "agent-1", null), "wasm:label=tier=edge");
        Classifier.Decision byDefault =
                decide(undecided, ClassifyRule.Pod.of(undecided, "default", "aes", "agent-1", null));

        assertThat(byAnnotation).isEqualTo(new Classifier.Decision(Runtime.CONTAINER, null));
        assertThat(byClass).isEqualTo(new Classifier.Decision(Runtime.WASM, null));
        assertThat(byLabel.runtime()).isEqualTo(Runtime.WASM);
        assertThat(byLabel.rule().text()).isEqualTo("wasm:label=tier=edge");
        assertThat(byDefault).isEqualTo(new Classifier.Decision(Runtime.CONTAINER, null));
    }

    @Test
    void presetsStandForTheirRules() {
        assertThat(ClassifyRule.preset("study-2023").stream().map(ClassifyRule::text))
                .containsExactly("container:namespace=openfaas-fn", "wasm:namespace=default");
        assertThat(ClassifyRule.preset("wasmorch").stream().map(ClassifyRule::text))
                .containsExactly("wasm:runtimeClass=wasmorch");
        assertThatThrownBy(() -> ClassifyRule.preset("nope"))
                .hasMessage("unknown preset 'nope' [study-2023, wasmorch]");
    }

    @Test
    void malformedRulesSayWhatIsWrong() {
        assertThatThrownBy(() -> ClassifyRule.parse("wasm:name~(")).hasMessageContaining("bad regex");
        assertThatThrownBy(() -> ClassifyRule.parse("vm:name=x")).hasMessageContaining("runtime 'vm'");
        assertThatThrownBy(() -> ClassifyRule.parse("wasm:image=x")).hasMessageContaining("unknown matcher 'image'");
        assertThatThrownBy(() -> ClassifyRule.parse("wasm")).hasMessageContaining("RUNTIME:MATCHER=VALUE");
        assertThatThrownBy(() -> ClassifyRule.parse("wasm:label=app")).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> ClassifyRule.parse("wasm:name=")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ClassifyRule.parse("wasm:name=a;b")).hasMessageContaining("';'");
    }

    @Test
    void rulesSurviveJavaSerialization() throws Exception {
        ClassifierOptions options = ClassifierOptions.defaults()
                .withRules(List.of(ClassifyRule.parse("wasm:name~-wasm-"), ClassifyRule.parse("container:node=w2")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(new Classifier(options));
        }
        Classifier copy;
        try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Classifier) i.readObject();
        }

        assertThat(copy.runtime(null, logged("default", "aes-wasm-1", "w1", null))
                        .runtime())
                .isEqualTo(Runtime.WASM);
        assertThat(copy.runtime(null, logged("default", "aes-1", "w2", null)).runtime())
                .isEqualTo(Runtime.CONTAINER);
    }

    @Test
    void rulesFileListsRulesAndPresetsInOrder() throws Exception {
        Path file = Files.writeString(
                dir.resolve("rules.yaml"), "rules:\n  - container:node=worker-2\n  - preset: study-2023\n");

        assertThat(ClassifyRulesFile.read(file).stream().map(ClassifyRule::text))
                .containsExactly(
                        "container:node=worker-2", "container:namespace=openfaas-fn", "wasm:namespace=default");
    }

    @Test
    void rulesFileNamesTheBadLine() throws Exception {
        Path badRule = Files.writeString(dir.resolve("a.yaml"), "rules:\n  - wasm:namespace=x\n  - wasm:name~[\n");
        Path badPreset = Files.writeString(dir.resolve("b.yaml"), "rules:\n  - preset: study-2024\n");
        Path badField = Files.writeString(dir.resolve("c.yaml"), "rules:\n  - wasm:node=a\nrule: []\n");
        Path notYaml = Files.writeString(dir.resolve("d.yaml"), "rules: [\n");

        assertThatThrownBy(() -> ClassifyRulesFile.read(badRule))
                .hasMessageStartingWith("line 3: ")
                .hasMessageContaining("bad regex");
        assertThatThrownBy(() -> ClassifyRulesFile.read(badPreset))
                .hasMessageStartingWith("line 2: ")
                .hasMessageContaining("study-2024");
        assertThatThrownBy(() -> ClassifyRulesFile.read(badField))
                .hasMessageStartingWith("line 3: ")
                .hasMessageContaining("unknown field 'rule'");
        assertThatThrownBy(() -> ClassifyRulesFile.read(notYaml)).hasMessageStartingWith("line ");
    }
}
