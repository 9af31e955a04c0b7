package dev.wasmorch.pipeline.join;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.pipeline.model.PodMetadata;
import dev.wasmorch.pipeline.model.Runtime;
import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides a pod's runtime, function and scenario. Metadata wins over log hints because it is what
 * the user deployed; the CRI handler seen in the kubelet's logs is the fallback when no metadata
 * is at hand, and the user's {@code --classify} rules decide what neither does.
 */
public final class Classifier implements Serializable {

    /** Kubernetes' generated-name alphabet (k8s.io/apimachinery rand.SafeEncodeString). */
    private static final String SAFE = "[bcdfghjklmnpqrstvwxz2456789]";

    private static final Pattern DEPLOYMENT_POD = Pattern.compile("^(.+)-" + SAFE + "{6,10}-" + SAFE + "{5}$");
    private static final Pattern GENERATED_POD = Pattern.compile("^(.+)-" + SAFE + "{5}$");
    private static final Pattern REPLICA_SET = Pattern.compile("^(.+)-" + SAFE + "{6,10}$");

    private final ClassifierOptions options;

    public Classifier(ClassifierOptions options) {
        this.options = options;
    }

    /**
     * A runtime and what decided it.
     *
     * @param runtime the runtime, or {@code null} when nothing tells: such pods are reported but kept
     *                out of the WASM/container statistics
     * @param rule    the {@code --classify} rule that decided, or {@code null} when the metadata, the
     *                logs or nothing did
     */
    public record Decision(Runtime runtime, ClassifyRule rule) {}

    /**
     * In order: the runtime annotation, a WasmApp owner, a runtime class (runtimeClassName, else the
     * CRI handler) that means WASM; then the rules, first match wins; then a known runtime class or
     * metadata mean container. Rules come after the metadata because it is what the user deployed.
     */
    public Decision runtime(PodMetadata meta, ClassifyRule.Pod pod) {
        if (meta != null) {
            String annotated = meta.annotations().get(PodLabels.RUNTIME);
            if (annotated != null) {
                return new Decision("wasm".equalsIgnoreCase(annotated) ? Runtime.WASM : Runtime.CONTAINER, null);
            }
            if ("WasmApp".equals(meta.ownerKind())) {
                return new Decision(Runtime.WASM, null);
            }
        }
        String runtimeClass = pod.runtimeClass();
        if (runtimeClass != null && options.wasmRuntimeClasses().contains(runtimeClass)) {
            return new Decision(Runtime.WASM, null);
        }
        for (ClassifyRule rule : options.rules()) {
            if (rule.matches(pod)) {
                return new Decision(rule.runtime(), rule);
            }
        }
        return new Decision(meta != null || runtimeClass != null ? Runtime.CONTAINER : null, null);
    }

    /** A pod's function and scenario. */
    public record Names(String function, String scenario) {}

    /**
     * Function: the first configured label, else the owner, else the first matching name pattern's
     * group, else the pod name without hashes. Scenario: the scenario label, else what that name
     * pattern says, else the default. The name patterns are tried only when the metadata leaves one open.
     */
    public Names names(PodMetadata meta, String podName) {
        String function = functionFromMetadata(meta);
        String scenario = scenarioFromMetadata(meta);
        NamePattern.Match named = function == null || scenario == null ? byName(podName) : null;
        return new Names(
                function != null ? function : named != null ? named.function() : baseName(podName),
                scenario != null
                        ? scenario
                        : named != null && named.scenario() != null ? named.scenario() : options.defaultScenario());
    }

    private String functionFromMetadata(PodMetadata meta) {
        if (meta == null) {
            return null;
        }
        for (String label : options.functionLabels()) {
            String v = meta.labels().get(label);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        if (meta.ownerName() == null) {
            return null;
        }
        Matcher rs = REPLICA_SET.matcher(meta.ownerName());
        return "ReplicaSet".equals(meta.ownerKind()) && rs.matches() ? rs.group(1) : meta.ownerName();
    }

    private String scenarioFromMetadata(PodMetadata meta) {
        if (meta == null || options.scenarioLabel() == null) {
            return null;
        }
        String v = meta.labels().get(options.scenarioLabel());
        return v != null && !v.isBlank() ? v : null;
    }

    private NamePattern.Match byName(String podName) {
        for (NamePattern p : options.namePatterns()) {
            NamePattern.Match m = p.match(podName);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    /** {@code aes-7d9c5b8f6-x2x9k} → {@code aes}; {@code job-x2x9k} → {@code job}. */
    static String baseName(String podName) {
        Matcher m = DEPLOYMENT_POD.matcher(podName);
        if (m.matches()) {
            return m.group(1);
        }
        m = GENERATED_POD.matcher(podName);
        return m.matches() ? m.group(1) : podName;
    }
}
