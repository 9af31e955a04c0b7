package dev.wasmorch.pipeline.metadata;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.Serializable;

/** Creates a Kubernetes client where it is used (clients are not serializable; this is). */
@FunctionalInterface
public interface KubeClientFactory extends Serializable {

    KubernetesClient create();

    /** fabric8's resolution: KUBECONFIG/~/.kube/config, else the in-cluster service account. */
    static KubeClientFactory defaults() {
        return () -> new KubernetesClientBuilder().build();
    }
}
