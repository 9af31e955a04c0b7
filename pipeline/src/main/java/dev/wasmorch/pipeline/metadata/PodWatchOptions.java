package dev.wasmorch.pipeline.metadata;

import java.io.Serializable;
import java.time.Duration;

/**
 * What the live pod watch follows and where it archives what it saw.
 *
 * @param clients       creates the Kubernetes client in the task (fabric8 defaults: kubeconfig,
 *                      else in-cluster service account)
 * @param namespace     one namespace, or {@code null} for all namespaces
 * @param labelSelector a label selector ({@code app=aes,tier!=db}), or {@code null}
 * @param archive       the JSON-lines archive of every pod seen, or {@code null} for none
 * @param resync        how often the informer re-delivers its cache (0: never)
 * @param queueCapacity pods buffered between the informer and Flink; a full queue holds the
 *                      informer back instead of growing without bound
 */
public record PodWatchOptions(
        KubeClientFactory clients,
        String namespace,
        String labelSelector,
        String archive,
        Duration resync,
        int queueCapacity)
        implements Serializable {

    public PodWatchOptions {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive, was " + queueCapacity);
        }
    }

    public static PodWatchOptions of(String namespace, String labelSelector, String archive) {
        return new PodWatchOptions(
                KubeClientFactory.defaults(), namespace, labelSelector, archive, Duration.ZERO, 10_000);
    }

    public PodWatchOptions withClients(KubeClientFactory factory) {
        return new PodWatchOptions(factory, namespace, labelSelector, archive, resync, queueCapacity);
    }
}
