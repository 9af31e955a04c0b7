package dev.wasmorch.operator.crd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Specs that both the CRD schema and the operator's validator must accept, or must refuse naming
 * the same field: issue 17's hostile inputs and the valid forms next to them.
 */
final class SpecCases {
    static final String SHA256 = "sha256:" + "0123456789abcdef".repeat(4);

    /**
     * @param refusedField the field a refusal names, or null when the spec is valid
     */
    record Case(String name, Consumer<WasmAppSpec> change, String refusedField) {
        @Override
        public String toString() {
            return name;
        }
    }

    private SpecCases() {}

    /** The starting point of every case: valid. */
    static WasmAppSpec base() {
        WasmAppSpec spec = new WasmAppSpec();
        spec.setOciImage("ghcr.io/wasmorch/hello");
        spec.setOciImageTag("1.0");
        return spec;
    }

    static List<Case> all() {
        return List.of(
                valid("the base spec", s -> {}),
                // Image references: the distribution grammar.
                valid("a one-component name", s -> s.setOciImage("hello")),
                valid("a registry with a port", s -> s.setOciImage("localhost:5000/team/app")),
                valid("an IPv6 registry", s -> s.setOciImage("[fd00::1]:5000/app")),
                valid("separators . _ __ and dashes", s -> s.setOciImage("registry.example.com/a__b/c-d--e/f.g_h")),
                valid("an upper-case registry host", s -> s.setOciImage("Registry.Example.com/app")),
                valid("a digest and no tag", s -> {
                    s.setOciImage("ghcr.io/wasmorch/hello@" + SHA256);
                    s.setOciImageTag(null);
                }),
                valid("a digest and a tag", s -> s.setOciImage("ghcr.io/wasmorch/hello@" + SHA256)),
                valid("a sha512 digest", s -> s.setOciImage("ghcr.io/x@sha512:" + "ab".repeat(64))),
                valid("a name of 255 characters", s -> s.setOciImage("r.io/" + "a".repeat(250))),
                refused("a tag in the name as well", s -> s.setOciImage("ghcr.io/wasmorch/hello:1.0"), "spec.ociImage"),
                refused("a 10,000-character reference", s -> s.setOciImage("a".repeat(10_000)), "spec.ociImage"),
                refused(
                        "a name of 256 characters pinned by digest",
                        s -> s.setOciImage("r.io/" + "a".repeat(251) + "@" + SHA256),
                        "spec.ociImage"),
                refused("punctuation only", s -> s.setOciImage("a..//::--"), "spec.ociImage"),
                refused("an upper-case path", s -> s.setOciImage("ghcr.io/WasmOrch/hello"), "spec.ociImage"),
                refused("an empty path component", s -> s.setOciImage("ghcr.io//hello"), "spec.ociImage"),
                refused("a trailing slash", s -> s.setOciImage("ghcr.io/hello/"), "spec.ociImage"),
                refused("a short sha256", s -> s.setOciImage("ghcr.io/x@sha256:abc"), "spec.ociImage"),
                refused("upper-case hex", s -> s.setOciImage("ghcr.io/x@" + SHA256.toUpperCase()), "spec.ociImage"),
                refused(
                        "an unregistered digest algorithm",
                        s -> s.setOciImage("ghcr.io/x@md5:" + "ab".repeat(16)),
                        "spec.ociImage"),
                refused("no tag and no digest", s -> s.setOciImageTag(null), "spec.ociImageTag"),
                refused(
                        "an empty tag beside a digest",
                        s -> {
                            s.setOciImage("ghcr.io/wasmorch/hello@" + SHA256);
                            s.setOciImageTag("");
                        },
                        "spec.ociImageTag"),
                refused("a tag with a space", s -> s.setOciImageTag("bad tag"), "spec.ociImageTag"),
                refused("a tag of 129 characters", s -> s.setOciImageTag("t".repeat(129)), "spec.ociImageTag"),
                refused("a tag starting with '.'", s -> s.setOciImageTag(".hidden"), "spec.ociImageTag"),
                // Replicas.
                valid("the schema's most replicas", s -> s.setReplicas(WasmAppSpec.MAX_REPLICAS)),
                refused("more replicas than the schema's maximum", s -> s.setReplicas(1001), "spec.replicas"),
                refused("negative replicas", s -> s.setReplicas(-1), "spec.replicas"),
                // Names of other objects.
                refused("an upper-case RuntimeClass", s -> s.setRuntimeClass("Spin"), "spec.runtimeClass"),
                refused(
                        "a RuntimeClass of 254 characters",
                        s -> s.setRuntimeClass("a".repeat(254)),
                        "spec.runtimeClass"),
                valid("an empty imagePullSecret", s -> s.setImagePullSecret("")),
                refused("a pull Secret with a space", s -> s.setImagePullSecret("reg cred"), "spec.imagePullSecret"),
                valid("an empty ingressClass", s -> s.setIngressClass("")),
                refused("an ingressClass with '!'", s -> s.setIngressClass("traefik!"), "spec.ingressClass"),
                // Ingress hosts.
                valid("an Ingress host", s -> ingress(s, "n-body.example.local")),
                valid("a wildcard Ingress host", s -> ingress(s, "*.example.org")),
                valid("an Ingress host of 253 characters", s -> ingress(s, host(253))),
                refused("an Ingress host of 254 characters", s -> ingress(s, host(254)), "spec.ingressHost"),
                refused("an IP address as Ingress host", s -> ingress(s, "10.0.0.1"), "spec.ingressHost"),
                refused("an upper-case Ingress host", s -> ingress(s, "Example.org"), "spec.ingressHost"),
                refused("an empty label in a host", s -> ingress(s, "a..example.org"), "spec.ingressHost"),
                refused("a wildcard inside a host", s -> ingress(s, "foo.*.example.org"), "spec.ingressHost"),
                refused("an Ingress without host", s -> s.setIngressEnabled(true), "spec.ingressHost"),
                // Annotation keys.
                valid(
                        "prefixed and plain annotation keys",
                        s -> s.setAnnotations(Map.of("example.org/team", "x", "a.b-c_d", ""))),
                refused("a key starting with '-'", s -> s.setAnnotations(Map.of("-team", "x")), "spec.annotations"),
                refused("a key with two '/'", s -> s.setAnnotations(Map.of("a/b/c", "x")), "spec.annotations"),
                refused("a key with an empty prefix", s -> s.setAnnotations(Map.of("/team", "x")), "spec.annotations"),
                refused(
                        "an upper-case key prefix",
                        s -> s.setAnnotations(Map.of("Example.org/team", "x")),
                        "spec.annotations"),
                refused(
                        "a key name of 64 characters",
                        s -> s.setAnnotations(Map.of("n".repeat(64), "x")),
                        "spec.annotations"),
                refused(
                        "a key prefix of 254 characters",
                        s -> s.setAnnotations(Map.of(host(254) + "/team", "x")),
                        "spec.annotations"),
                refused(
                        "a reserved key",
                        s -> s.setAnnotations(Map.of("wasmorch.dev/runtime", "container")),
                        "spec.annotations"),
                refused("33 annotations", s -> s.setAnnotations(entries(33)), "spec.annotations"),
                // Node selector: label keys and values.
                valid("a node selector", s -> s.setNodeSelector(Map.of("kubernetes.io/arch", "amd64", "empty", ""))),
                refused(
                        "a label value with a space",
                        s -> s.setNodeSelector(Map.of("arch", "amd 64")),
                        "spec.nodeSelector"),
                refused(
                        "a label value of 64 characters",
                        s -> s.setNodeSelector(Map.of("arch", "v".repeat(64))),
                        "spec.nodeSelector"),
                refused(
                        "a label value ending in '-'",
                        s -> s.setNodeSelector(Map.of("arch", "amd64-")),
                        "spec.nodeSelector"),
                refused("a bad label key", s -> s.setNodeSelector(Map.of("arch!", "amd64")), "spec.nodeSelector"));
    }

    private static Case valid(String name, Consumer<WasmAppSpec> change) {
        return new Case(name, change, null);
    }

    private static Case refused(String name, Consumer<WasmAppSpec> change, String field) {
        return new Case(name, change, field);
    }

    private static void ingress(WasmAppSpec spec, String host) {
        spec.setIngressEnabled(true);
        spec.setIngressHost(host);
    }

    /** A valid DNS name of exactly {@code length} characters (labels of up to 63). */
    static String host(int length) {
        StringBuilder host = new StringBuilder();
        while (host.length() < length) {
            int label = Math.min(63, length - host.length() - (host.length() == 0 ? 0 : 1));
            if (host.length() > 0) {
                host.append('.');
            }
            host.append("h".repeat(Math.max(1, label)));
        }
        return host.toString();
    }

    private static Map<String, String> entries(int n) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < n; i++) {
            map.put("k" + i, "v");
        }
        return map;
    }
}
