package dev.wasmorch.pipeline.metadata;

import dev.wasmorch.pipeline.model.PodMetadata;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Turns a fabric8 {@link Pod} (from the API, a watch or a snapshot file) into {@link PodMetadata}. */
public final class PodConverter {

    private PodConverter() {}

    public static PodMetadata toMetadata(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        if (meta == null || meta.getName() == null) {
            throw new IllegalArgumentException("pod without metadata.name");
        }
        PodSpec spec = pod.getSpec();
        OwnerReference owner = controller(meta.getOwnerReferences());
        List<String> images = spec == null || spec.getContainers() == null
                ? List.of()
                : spec.getContainers().stream()
                        .map(Container::getImage)
                        .filter(i -> i != null)
                        .toList();
        return new PodMetadata(
                meta.getUid(),
                meta.getNamespace() == null ? "default" : meta.getNamespace(),
                meta.getName(),
                spec == null ? null : spec.getNodeName(),
                spec == null ? null : spec.getRuntimeClassName(),
                copy(meta.getLabels()),
                copy(meta.getAnnotations()),
                owner == null ? null : owner.getKind(),
                owner == null ? null : owner.getName(),
                images,
                parseTime(meta.getCreationTimestamp()));
    }

    /** The controlling owner reference, else the first one, else null. */
    private static OwnerReference controller(List<OwnerReference> refs) {
        if (refs == null || refs.isEmpty()) {
            return null;
        }
        return refs.stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .findFirst()
                .orElse(refs.get(0));
    }

    private static Map<String, String> copy(Map<String, String> m) {
        return m == null ? Map.of() : Map.copyOf(m);
    }

    static Instant parseTime(String ts) {
        if (ts == null || ts.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(ts);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("metadata.creationTimestamp '" + ts + "' is not RFC 3339", e);
        }
    }
}
