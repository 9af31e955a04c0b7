package dev.wasmorch.operator.reconcile.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.reconcile.OperatorHarness;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's own checks and their messages; CrdSchemaTest holds the cases shared with the schema. */
class SpecValidatorTest {
    private static final String SHA256 = "sha256:" + "0123456789abcdef".repeat(4);
    private final SpecValidator validator = new SpecValidator(WasmAppSpec.MAX_REPLICAS);

    @Test
    void aCompleteSpecIsValid() {
        assertThat(validator.validate(OperatorHarness.app("hello", NetworkMode.HOST)))
                .isEmpty();
    }

    @Test
    void everyProblemNamesItsField() {
        WasmApp app = OperatorHarness.app("Hello_World", NetworkMode.POD);
        app.getSpec().setOciImageTag("bad tag");
        app.getSpec().setReplicas(-1);
        app.getSpec().setRuntimeClass("");
        app.getSpec().setIngressEnabled(true);
        app.getSpec().setAnnotations(Map.of("wasmorch.dev/runtime", "container"));
        assertThat(validator.validate(app))
                .containsExactly(
                        "metadata.name: must be a DNS-1035 label (lower-case letters, digits, '-', at most 63, starting with a letter), got \"Hello_World\"",
                        "spec.ociImageTag: not an image tag (a letter, digit or '_', then up to 127 of those, '.' or '-'): \"bad tag\"",
                        "spec.replicas: must be 0 or more, got -1",
                        "spec.runtimeClass: must name a RuntimeClass, got \"\"",
                        "spec.ingressHost: required when ingressEnabled is true",
                        "spec.annotations: key \"wasmorch.dev/runtime\" is reserved for the operator");
    }

    @Test
    void theReplicaLimitIsTheOperatorsSetting() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.HOST);
        app.getSpec().setReplicas(6);
        assertThat(new SpecValidator(6).validate(app)).isEmpty();
        assertThat(new SpecValidator(5).validate(app))
                .containsExactly("spec.replicas: at most 5 allowed (operator flag --max-replicas), got 6");
    }

    @Test
    void imageProblemsSayWhatIsWrong() {
        assertThat(ImageReference.problems("ghcr.io/wasmorch/hello:1.0", "1.0"))
                .containsExactly("spec.ociImage: must not carry a tag (\"ghcr.io/wasmorch/hello:1.0\"); give the tag in"
                        + " spec.ociImageTag");
        assertThat(ImageReference.problems("a".repeat(10_000), "1.0"))
                .containsExactly(
                        "spec.ociImage: the repository name is 10000 characters long, at most 255 are allowed");
        assertThat(ImageReference.problems("a..//::--", "1.0"))
                .singleElement()
                .asString()
                .startsWith("spec.ociImage: not a repository name (")
                .endsWith(": \"a..//::--\"");
        assertThat(ImageReference.problems("ghcr.io/x@sha256:abc", "1.0"))
                .containsExactly("spec.ociImage: a sha256 digest is 64 lower-case hex digits, got \"sha256:abc\"");
        assertThat(ImageReference.problems("ghcr.io/x@md5:" + "ab".repeat(16), "1.0"))
                .containsExactly("spec.ociImage: unsupported digest algorithm in \"md5:" + "ab".repeat(16)
                        + "\" (sha256, sha384 or sha512)");
        // A status message quotes only the start of an overlong value.
        assertThat(ImageReference.problems("ghcr.io/x", "t".repeat(10_000)))
                .singleElement()
                .asString()
                .startsWith("spec.ociImageTag: not an image tag")
                .hasSizeLessThan(300);
        assertThat(ImageReference.problems("ghcr.io/x", null))
                .containsExactly(
                        "spec.ociImageTag: required unless spec.ociImage is pinned by digest (name@sha256:...)");
    }

    @Test
    void theContainerRunsTheFullReference() {
        WasmAppSpec spec = OperatorHarness.app("hello", NetworkMode.HOST).getSpec();
        assertThat(ImageReference.of(spec).reference()).isEqualTo("ghcr.io/wasmorch/hello:1.0");
        spec.setOciImage("ghcr.io/wasmorch/hello@" + SHA256);
        // The tag, if any, goes before the digest; the digest decides what is pulled.
        assertThat(ImageReference.of(spec).reference()).isEqualTo("ghcr.io/wasmorch/hello:1.0@" + SHA256);
        spec.setOciImageTag(null);
        assertThat(ImageReference.of(spec).reference()).isEqualTo("ghcr.io/wasmorch/hello@" + SHA256);
    }

    @Test
    void keysAndValuesFollowKubernetesRules() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.HOST);
        app.getSpec().setAnnotations(Map.of("a/b/c", "x"));
        app.getSpec().setNodeSelector(Map.of("arch", "amd 64"));
        assertThat(validator.validate(app))
                .containsExactly(
                        "spec.annotations: key \"a/b/c\": at most one '/' is allowed",
                        "spec.nodeSelector: value of \"arch\" must be empty or consist of letters, digits, '-', '_' and"
                                + " '.', starting and ending with a letter or digit, got \"amd 64\"");
        app.getSpec().setNodeSelector(Map.of());
        app.getSpec().setAnnotations(Map.of("n".repeat(64), "x"));
        assertThat(validator.validate(app))
                .containsExactly("spec.annotations: key \"" + "n".repeat(64)
                        + "\": the name part is 64 characters long, at most 63 are allowed");
    }

    /** A limit the API server applies to the pods (the schema does not see sizes across entries). */
    @Test
    void annotationsMustFitOnAPod() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.HOST);
        app.getSpec().setAnnotations(Map.of("big", "x".repeat(SpecValidator.ANNOTATIONS_MAX_BYTES)));
        assertThat(validator.validate(app))
                .containsExactly("spec.annotations: 262147 characters in all, at most 262144 allowed on a pod");
    }

    @Test
    void ingressHostsAreDnsNames() {
        WasmApp app = OperatorHarness.app("hello", NetworkMode.HOST);
        app.getSpec().setIngressEnabled(true);
        app.getSpec().setIngressHost("h".repeat(254));
        assertThat(validator.validate(app))
                .containsExactly("spec.ingressHost: is 254 characters long, at most 253 are allowed");
        app.getSpec().setIngressHost("10.0.0.1");
        assertThat(validator.validate(app))
                .containsExactly("spec.ingressHost: must be a DNS name, not an IP address, got \"10.0.0.1\"");
    }
}
