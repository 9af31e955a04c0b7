package dev.wasmorch.operator.reconcile.status;

import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a WasmApp, so {@code kubectl describe wasmapp} tells what the operator did.
 * Like client-go's recorder it posts from a background thread: an event is a courtesy and must not
 * add an API round trip to every reconciliation.
 */
public class EventRecorder implements AutoCloseable {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final String COMPONENT = "wasmorch-operator";

    private final KubernetesClient client;
    private final String instance;
    private final ExecutorService poster = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wasmorch-events");
        t.setDaemon(true);
        return t;
    });

    public EventRecorder(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    public void record(WasmApp app, String type, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
        LOG.info(
                "{}/{}: {} {}",
                app.getMetadata().getNamespace(),
                app.getMetadata().getName(),
                reason,
                message);
        poster.execute(() -> post(app, type, reason, message, now));
    }

    private void post(WasmApp app, String type, String reason, String message, String now) {
        try {
            client.v1()
                    .events()
                    .inNamespace(app.getMetadata().getNamespace())
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withName(app.getMetadata().getName() + "."
                                    + UUID.randomUUID()
                                            .toString()
                                            .substring(0, 13)
                                            .replace("-", ""))
                            .withNamespace(app.getMetadata().getNamespace())
                            .endMetadata()
                            .withInvolvedObject(new ObjectReferenceBuilder()
                                    .withApiVersion(app.getApiVersion())
                                    .withKind(app.getKind())
                                    .withNamespace(app.getMetadata().getNamespace())
                                    .withName(app.getMetadata().getName())
                                    .withUid(app.getMetadata().getUid())
                                    .withResourceVersion(app.getMetadata().getResourceVersion())
                                    .build())
                            .withType(type)
                            .withReason(reason)
                            .withMessage(message)
                            .withFirstTimestamp(now)
                            .withLastTimestamp(now)
                            .withCount(1)
                            .withNewSource()
                            .withComponent(COMPONENT)
                            .endSource()
                            .withReportingComponent(COMPONENT)
                            .withReportingInstance(instance)
                            .build())
                    .create();
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "could not record event {} on {}/{}: {}",
                    reason,
                    app.getMetadata().getNamespace(),
                    app.getMetadata().getName(),
                    e.getMessage());
        }
    }

    /**
     * Collects the events of one reconciliation (from several threads) and posts events of the same
     * type and reason as one when closed: creating an app is one "Created" event naming the
     * Deployment and the Service, not two API writes.
     */
    public Batch batch(WasmApp app) {
        return new Batch(app);
    }

    public final class Batch implements AutoCloseable {
        private record Kind(String type, String reason) {}

        private final WasmApp app;
        private final Map<Kind, List<String>> messages = new LinkedHashMap<>();

        private Batch(WasmApp app) {
            this.app = app;
        }

        public synchronized void record(String type, String reason, String message) {
            messages.computeIfAbsent(new Kind(type, reason), k -> new ArrayList<>())
                    .add(message);
        }

        /** Messages in sorted order, so the same changes always read the same. */
        @Override
        public synchronized void close() {
            messages.forEach((kind, texts) -> EventRecorder.this.record(
                    app,
                    kind.type(),
                    kind.reason(),
                    String.join("; ", texts.stream().sorted().toList())));
            messages.clear();
        }
    }

    /** Posts what is queued, waiting a few seconds at most. */
    @Override
    public void close() throws InterruptedException {
        poster.shutdown();
        poster.awaitTermination(5, TimeUnit.SECONDS);
    }
}
