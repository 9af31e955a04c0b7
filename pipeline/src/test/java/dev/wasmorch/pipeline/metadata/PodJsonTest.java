package dev.wasmorch.pipeline.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** A snapshot item read from its JSON gives the metadata its fabric8 Pod gives. */
class PodJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Provide
    Arbitrary<Pod> pods() {
        Arbitrary<String> word = Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars("-./ ")
                .ofMinLength(1)
                .ofMaxLength(12);
        Arbitrary<String> maybe = word.injectNull(0.3);
        Arbitrary<Map<String, String>> map =
                Arbitraries.maps(word, word).ofMaxSize(4).injectNull(0.3);
        Arbitrary<OwnerReference> owner = Combinators.combine(
                        word, word, Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.3))
                .as((kind, name, controller) -> new OwnerReferenceBuilder()
                        .withKind(kind)
                        .withName(name)
                        .withController(controller)
                        .build());
        Arbitrary<Container> container = maybe.map(
                image -> new ContainerBuilder().withName("c").withImage(image).build());
        Arbitrary<String> created = Arbitraries.longs()
                .between(0, 4_000_000_000L)
                .map(s -> Instant.ofEpochSecond(s).toString())
                .injectNull(0.3);
        return Combinators.combine(
                        word,
                        maybe,
                        maybe,
                        map,
                        map,
                        owner.list().ofMaxSize(3).injectNull(0.3),
                        Combinators.combine(maybe, maybe, container.list().ofMaxSize(3))
                                .as((node, runtimeClass, containers) -> new PodSpecBuilder()
                                        .withNodeName(node)
                                        .withRuntimeClassName(runtimeClass)
                                        .withContainers(containers)
                                        .build()),
                        created)
                .as((name, namespace, uid, labels, annotations, owners, spec, time) -> new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .withUid(uid)
                        .withLabels(labels)
                        .withAnnotations(annotations)
                        .withOwnerReferences(owners)
                        .withCreationTimestamp(time)
                        .endMetadata()
                        .withSpec(spec)
                        .build());
    }

    @Property(tries = 500)
    void readsWhatTheFabric8ModelReads(@ForAll("pods") Pod pod) {
        assertThat(PodJson.toMetadata(MAPPER.valueToTree(pod))).isEqualTo(PodConverter.toMetadata(pod));
    }

    /** Each line: a pod's JSON, " -> ", and the start of the error it gets. */
    private static final String WRONG_TYPES = """
            {"metadata":{"name":5}} -> metadata.name must be a string, found NUMBER
            {"metadata":{"name":"p","labels":{"app":1}}} -> metadata.labels.app must be a string, found NUMBER
            {"metadata":{"name":"p","annotations":[]}} -> metadata.annotations must be an object, found ARRAY
            {"metadata":{"name":"p","ownerReferences":{}}} -> metadata.ownerReferences must be an array, found OBJECT
            {"metadata":{"name":"p","ownerReferences":[{"controller":"yes"}]}} -> \
            metadata.ownerReferences[].controller must be a boolean, found STRING
            {"metadata":{"name":"p"},"spec":"x"} -> spec must be an object, found STRING
            {"metadata":{"name":"p"},"spec":{"containers":[3]}} -> spec.containers[] must be an object, found NUMBER
            {"metadata":{"namespace":"x"}} -> pod without metadata.name
            {"metadata":{"name":"p","creationTimestamp":"soon"}} -> metadata.creationTimestamp 'soon' is not RFC 3339
            """;

    @Test
    void aFieldOfTheWrongTypeIsNamed() {
        for (String line : WRONG_TYPES.lines().toList()) {
            String[] pair = line.split(" -> ");
            assertThatThrownBy(() -> read(pair[0]))
                    .as(pair[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(pair[1]);
        }
    }

    private static Object read(String json) throws Exception {
        return PodJson.toMetadata(MAPPER.readTree(json));
    }
}
