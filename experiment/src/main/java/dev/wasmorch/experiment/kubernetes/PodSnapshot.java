package dev.wasmorch.experiment.kubernetes;

import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's pods as the API showed them while they existed (taken when each became ready or
 * failed), written as a Kubernetes {@code List} of {@code Pod}, the shape {@code analyze --pods}
 * reads ({@code kubectl get pods -o json}). Managed fields are dropped: they are the API server's
 * bookkeeping and the bulk of a pod's JSON.
 */
final class PodSnapshot {

    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final KubernetesSerialization json = new KubernetesSerialization();

    synchronized void take(Pod pod) {
        if (pod.getMetadata() == null || pod.getMetadata().getUid() == null) {
            return;
        }
        pod.getMetadata().setManagedFields(null);
        pods.put(pod.getMetadata().getUid(), pod);
    }

    synchronized List<Pod> pods() {
        return new ArrayList<>(pods.values());
    }

    /** Writes the snapshot (atomically: a half-written file is never left under the name). */
    void write(Path file) throws IOException {
        String text = json.asJson(
                new KubernetesListBuilder().withItems(new ArrayList<>(pods())).build());
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
