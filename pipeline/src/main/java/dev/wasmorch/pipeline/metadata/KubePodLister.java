package dev.wasmorch.pipeline.metadata;

import dev.wasmorch.pipeline.model.PodMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.util.List;

/**
 * Lists pods from the Kubernetes API (kubeconfig or in-cluster, as fabric8 resolves them) for a
 * batch analysis. Only pods still present can be found; for past experiments use a snapshot.
 */
public final class KubePodLister {

    private final KubernetesClient client;

    public KubePodLister(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param namespace a namespace, or {@code null} for all namespaces
     * @param selector  a label selector ({@code app=aes,tier!=db}), or {@code null}
     */
    public List<PodMetadata> list(String namespace, String selector) {
        FilterWatchListDeletable<Pod, PodList, PodResource> pods = namespace == null
                ? client.pods().inAnyNamespace()
                : client.pods().inNamespace(namespace);
        if (selector != null && !selector.isBlank()) {
            pods = pods.withLabelSelector(selector);
        }
        return pods.list().getItems().stream().map(PodConverter::toMetadata).toList();
    }
}
