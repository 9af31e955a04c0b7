package dev.wasmorch.operator.reconcile;

import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a spec before anything is created. The CRD schema rejects most of this at the API server,
 * but objects written before a schema change, or to a server that skips validation, still arrive
 * here; each problem names its field.
 */
public final class SpecValidator {
    /** The WasmApp name becomes a Service name, so it must be a DNS-1035 label. */
    private static final Pattern DNS_1035 = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");

    private static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern IMAGE = Pattern.compile(WasmAppSpec.IMAGE_PATTERN);
    private static final Pattern TAG = Pattern.compile(WasmAppSpec.TAG_PATTERN);

    private SpecValidator() {}

    /** The problems found, empty when the spec is usable. */
    public static List<String> validate(WasmApp app) {
        List<String> problems = new ArrayList<>();
        String name = app.getMetadata().getName();
        if (name == null || !DNS_1035.matcher(name).matches()) {
            problems.add(
                    "metadata.name: must be a DNS-1035 label (lower-case letters, digits, '-', at most 63, starting with a letter), got "
                            + quote(name));
        }
        WasmAppSpec spec = app.getSpec();
        if (spec == null) {
            problems.add("spec: required");
            return problems;
        }
        if (spec.getOciImage() == null || spec.getOciImage().isBlank()) {
            problems.add("spec.ociImage: required");
        } else if (!IMAGE.matcher(spec.getOciImage()).matches()) {
            problems.add("spec.ociImage: not an image reference: " + quote(spec.getOciImage()));
        }
        if (spec.getOciImageTag() == null || spec.getOciImageTag().isBlank()) {
            problems.add("spec.ociImageTag: required");
        } else if (!TAG.matcher(spec.getOciImageTag()).matches()) {
            problems.add("spec.ociImageTag: not an image tag: " + quote(spec.getOciImageTag()));
        }
        if (spec.getReplicas() == null || spec.getReplicas() < 0) {
            problems.add("spec.replicas: must be 0 or more, got " + spec.getReplicas());
        }
        if (spec.getPort() == null || spec.getPort() < 1 || spec.getPort() > 65535) {
            problems.add("spec.port: must be between 1 and 65535, got " + spec.getPort());
        }
        if (spec.getNetworkMode() == null) {
            problems.add("spec.networkMode: must be host or pod");
        }
        if (spec.getRuntimeClass() == null
                || !DNS_1123_SUBDOMAIN.matcher(spec.getRuntimeClass()).matches()) {
            problems.add("spec.runtimeClass: must name a RuntimeClass, got " + quote(spec.getRuntimeClass()));
        }
        if (Boolean.TRUE.equals(spec.getIngressEnabled())) {
            if (spec.getIngressHost() == null
                    || !DNS_1123_SUBDOMAIN.matcher(spec.getIngressHost()).matches()) {
                problems.add("spec.ingressHost: a DNS host name is required when ingressEnabled is true, got "
                        + quote(spec.getIngressHost()));
            }
        }
        if (spec.getAnnotations() != null) {
            spec.getAnnotations().keySet().stream()
                    .filter(k -> k.startsWith(Labels.RESERVED_PREFIX))
                    .forEach(k -> problems.add("spec.annotations: key " + quote(k) + " is reserved for the operator"));
        }
        return problems;
    }

    private static String quote(String s) {
        return s == null ? "nothing" : '"' + s + '"';
    }
}
