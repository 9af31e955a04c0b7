package dev.wasmorch.pipeline.metadata;

import dev.wasmorch.pipeline.model.PodMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a fabric8 informer on pods and hands what it learns to Flink through a bounded queue. The
 * informer lists, watches, and on a broken watch or an expired resource version reconnects and
 * lists again; a pod is passed on (and archived) whenever its metadata differs from what was last
 * passed on for it, so relists and status-only updates cost nothing downstream.
 */
final class PodWatchReader implements SourceReader<PodMetadata, PodWatchSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(PodWatchReader.class);

    private final PodWatchOptions options;
    private final BlockingQueue<PodMetadata> queue;
    /** Informer thread: what it queued last per UID (archive and queue only changes). */
    private final Map<String, PodMetadata> lastQueued = new HashMap<>();
    /** Task thread: what was emitted last per UID; this is what a checkpoint records. */
    private final Map<String, PodMetadata> lastEmitted = new HashMap<>();

    private final java.util.Queue<String> deleted = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile CompletableFuture<Void> available = new CompletableFuture<>();
    private volatile boolean closed;
    private PodWatchSplit split;
    private KubernetesClient client;
    private SharedIndexInformer<Pod> informer;
    private PodArchive archive;

    PodWatchReader(PodWatchOptions options) {
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<PodWatchSplit> splits) {
        if (splits.isEmpty() || split != null) {
            return;
        }
        split = splits.get(0);
        lastEmitted.putAll(split.passedOn());
        lastQueued.putAll(split.passedOn());
        try {
            archive = options.archive() == null ? null : new PodArchive(Path.of(options.archive()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the pod archive " + options.archive(), e);
        }
        client = options.clients().create();
        FilterWatchListDeletable<Pod, PodList, PodResource> pods = options.namespace() == null
                ? client.pods().inAnyNamespace()
                : client.pods().inNamespace(options.namespace());
        if (options.labelSelector() != null && !options.labelSelector().isBlank()) {
            pods = pods.withLabelSelector(options.labelSelector());
        }
        informer = pods.inform(new Handler(), options.resync().toMillis());
        LOG.info(
                "watching pods in {} (selector {}), archive {}",
                options.namespace() == null ? "all namespaces" : options.namespace(),
                options.labelSelector(),
                options.archive());
    }

    /** Informer callbacks arrive on one thread, in order. */
    private final class Handler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            seen(pod);
        }

        @Override
        public void onUpdate(Pod oldPod, Pod newPod) {
            seen(newPod);
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            // Its last state was passed on already; forget it so memory follows the live pods.
            if (pod.getMetadata() != null) {
                lastQueued.remove(pod.getMetadata().getUid());
                // the task thread forgets it when the deletion is passed through the queue
                deleted.add(pod.getMetadata().getUid());
            }
        }
    }

    private void seen(Pod pod) {
        PodMetadata m;
        try {
            m = PodConverter.toMetadata(pod);
        } catch (IllegalArgumentException e) {
            LOG.error("pod from the API cannot be used: {}", e.getMessage());
            return;
        }
        if (m.uid() == null) {
            LOG.error("pod {} from the API has no UID; skipped", m.podKey());
            return;
        }
        if (m.equals(lastQueued.put(m.uid(), m))) {
            return;
        }
        try {
            if (archive != null) {
                archive.append(pod);
            }
            while (!closed && !queue.offer(m, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // Flink is behind: hold the informer back rather than buffer without bound.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the pod archive " + options.archive(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        available.complete(null);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<PodMetadata> output) {
        for (String uid; (uid = deleted.poll()) != null; ) {
            lastEmitted.remove(uid);
        }
        PodMetadata m = queue.poll();
        if (m != null) {
            lastEmitted.put(m.uid(), m);
            output.collect(m);
            return InputStatus.MORE_AVAILABLE;
        }
        if (split == null) {
            return InputStatus.NOTHING_AVAILABLE;
        }
        CompletableFuture<Void> next = new CompletableFuture<>();
        available = next;
        if (!queue.isEmpty()) {
            next.complete(null);
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<PodWatchSplit> snapshotState(long checkpointId) {
        return split == null ? List.of() : List.of(new PodWatchSplit(lastEmitted));
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void notifyNoMoreSplits() {
        // Subtasks without the split idle; the one with it watches until cancelled.
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (informer != null) {
            informer.close();
        }
        if (client != null) {
            client.close();
        }
        if (archive != null) {
            archive.close();
        }
    }
}
