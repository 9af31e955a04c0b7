package dev.wasmorch.pipeline.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the Kubernetes API (or a {@code kubectl get pods -o json} snapshot) says about a pod.
 *
 * @param uid              pod UID
 * @param namespace        namespace
 * @param name             pod name
 * @param node             spec.nodeName, or {@code null}
 * @param runtimeClassName spec.runtimeClassName, or {@code null}
 * @param labels           metadata.labels (never null)
 * @param annotations      metadata.annotations (never null)
 * @param ownerKind        kind of the controlling owner reference, or {@code null}
 * @param ownerName        name of the controlling owner reference, or {@code null}
 * @param images           container images in spec order
 * @param creationTime     metadata.creationTimestamp (whole seconds)
 */
public record PodMetadata(
        String uid,
        String namespace,
        String name,
        String node,
        String runtimeClassName,
        Map<String, String> labels,
        Map<String, String> annotations,
        String ownerKind,
        String ownerName,
        List<String> images,
        Instant creationTime) {

    public String podKey() {
        return namespace + "/" + name;
    }
}
