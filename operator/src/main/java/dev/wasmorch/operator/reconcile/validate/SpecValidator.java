package dev.wasmorch.operator.reconcile.validate;

import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.reconcile.status.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a spec before anything is created. The CRD schema rejects the same at the API server (see
 * {@link WasmAppSpec}), but objects written before a schema change, or to a server that skips
 * validation, still arrive here; each problem names its field.
 */
public final class SpecValidator {
    /** The WasmApp name becomes a Service name, so it must be a DNS-1035 label. */
    private static final Pattern DNS_1035 = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");

    /** The API server's limit on all annotations of an object, keys and values together. */
    static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;

    private final int maxReplicas;

    /** @param maxReplicas the most pods one app may ask for (--max-replicas) */
    public SpecValidator(int maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    /** The problems found, empty when the spec is usable. */
    public List<String> validate(WasmApp app) {
        List<String> problems = new ArrayList<>();
        String name = app.getMetadata().getName();
        if (name == null || !DNS_1035.matcher(name).matches()) {
            problems.add(
                    "metadata.name: must be a DNS-1035 label (lower-case letters, digits, '-', at most 63, starting with a letter), got "
                            + Problem.quote(name));
        }
        WasmAppSpec spec = app.getSpec();
        if (spec == null) {
            problems.add("spec: required");
            return problems;
        }
        problems.addAll(ImageReference.problems(spec.getOciImage(), spec.getOciImageTag()));
        if (spec.getReplicas() == null || spec.getReplicas() < 0) {
            problems.add("spec.replicas: must be 0 or more, got " + spec.getReplicas());
        } else if (spec.getReplicas() > maxReplicas) {
            problems.add("spec.replicas: at most " + maxReplicas + " allowed (operator flag --max-replicas), got "
                    + spec.getReplicas());
        }
        if (spec.getPort() == null || spec.getPort() < 1 || spec.getPort() > 65535) {
            problems.add("spec.port: must be between 1 and 65535, got " + spec.getPort());
        }
        if (spec.getNetworkMode() == null) {
            problems.add("spec.networkMode: must be host or pod");
        }
        if (spec.getRuntimeClass() == null || spec.getRuntimeClass().isEmpty()) {
            problems.add("spec.runtimeClass: must name a RuntimeClass, got " + Problem.quote(spec.getRuntimeClass()));
        } else {
            KubernetesNames.subdomainProblem(spec.getRuntimeClass())
                    .ifPresent(p -> problems.add("spec.runtimeClass: " + p));
        }
        optionalName(problems, "spec.imagePullSecret", spec.getImagePullSecret());
        optionalName(problems, "spec.ingressClass", spec.getIngressClass());
        if (spec.getIngressHost() != null) {
            KubernetesNames.ingressHostProblem(spec.getIngressHost())
                    .ifPresent(p -> problems.add("spec.ingressHost: " + p));
        } else if (Boolean.TRUE.equals(spec.getIngressEnabled())) {
            problems.add("spec.ingressHost: required when ingressEnabled is true");
        }
        annotations(problems, spec.getAnnotations());
        nodeSelector(problems, spec.getNodeSelector());
        return problems;
    }

    private static void optionalName(List<String> problems, String field, String value) {
        if (value != null && !value.isEmpty()) {
            KubernetesNames.subdomainProblem(value).ifPresent(p -> problems.add(field + ": " + p));
        }
    }

    private static void annotations(List<String> problems, Map<String, String> annotations) {
        if (annotations == null) {
            return;
        }
        entries(problems, "spec.annotations", annotations);
        long bytes = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            bytes += e.getKey().length()
                    + (e.getValue() == null ? 0 : e.getValue().length());
            if (e.getKey().startsWith(WasmAppSpec.RESERVED_PREFIX)) {
                problems.add(
                        "spec.annotations: key " + KubernetesNames.shown(e.getKey()) + " is reserved for the operator");
            } else {
                KubernetesNames.qualifiedNameProblem(e.getKey()).ifPresent(p -> problems.add("spec.annotations: " + p));
            }
        }
        if (bytes > ANNOTATIONS_MAX_BYTES) {
            problems.add("spec.annotations: " + bytes + " characters in all, at most " + ANNOTATIONS_MAX_BYTES
                    + " allowed on a pod");
        }
    }

    private static void nodeSelector(List<String> problems, Map<String, String> selector) {
        if (selector == null) {
            return;
        }
        entries(problems, "spec.nodeSelector", selector);
        selector.forEach((key, value) -> {
            KubernetesNames.qualifiedNameProblem(key).ifPresent(p -> problems.add("spec.nodeSelector: " + p));
            KubernetesNames.labelValueProblem(value == null ? "" : value)
                    .ifPresent(
                            p -> problems.add("spec.nodeSelector: value of " + KubernetesNames.shown(key) + " " + p));
        });
    }

    private static void entries(List<String> problems, String field, Map<String, String> map) {
        if (map.size() > WasmAppSpec.MAX_MAP_ENTRIES) {
            problems.add(field + ": " + map.size() + " entries, at most " + WasmAppSpec.MAX_MAP_ENTRIES + " allowed");
        }
    }
}
