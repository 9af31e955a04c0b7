package dev.wasmorch.operator.reconcile.dependent;

import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.reconcile.status.EventRecorder;
import dev.wasmorch.operator.reconcile.write.ChildApplier;
import dev.wasmorch.operator.reconcile.write.ParallelWrites;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;

/**
 * One kind of child of a WasmApp, in the manner of Java Operator SDK's
 * CRUDKubernetesDependentResource: a subclass says what the child looks like (its desired state)
 * and what of the actual object a replace keeps; this class watches the kind and writes through
 * {@link ChildApplier}.
 *
 * <p>JOSDK's own dependent resources are not used: by default they write with server-side apply,
 * which the mock API server of the tests lacks (see {@link ChildApplier}). Without it
 * ({@code useSSA = false}) they match with a comparison that tolerates fields the actual object has
 * and the desired one lacks, so a field the spec stops setting would stay; and the reconciler needs
 * each write's outcome for its events and runs the writes next to the status write ({@link
 * ParallelWrites}).
 */
public abstract class KubernetesDependent<R extends HasMetadata> {
    private final Class<R> type;
    private final String selector;
    private InformerEventSource<R, WasmApp> cache;

    /** @param selector the label selector of the children of this kind that the operator manages */
    KubernetesDependent(Class<R> type, String selector) {
        this.type = type;
        this.selector = selector;
    }

    /** The informer of this kind: an edit or deletion by someone else triggers a reconciliation that repairs it. */
    public InformerEventSource<R, WasmApp> eventSource(EventSourceContext<WasmApp> context) {
        cache = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(type, WasmApp.class)
                        .withLabelSelector(selector)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(WasmApp.class))
                        .build(),
                context);
        return cache;
    }

    /**
     * Copies from the actual object into the replacement what the API server allocated and never
     * lets a client unset; most kinds have nothing of the sort.
     */
    void keepAllocated(R replacement, R actual) {}

    /** Creates the child or brings it back to {@code desired}; {@code actual} is null when it does not exist. */
    ChildApplier.Outcome apply(ChildApplier applier, WasmApp app, R desired, R actual) {
        return applier.apply(app, desired, actual, cache, this::keepAllocated);
    }

    /** The write of the app's one child of this kind, announced by an event unless nothing changed. */
    public Runnable write(WasmApp app, R desired, R actual, ChildApplier applier, EventRecorder.Batch notes) {
        return () -> report(app, notes, apply(applier, app, desired, actual));
    }

    private void report(WasmApp app, EventRecorder.Batch notes, ChildApplier.Outcome outcome) {
        String kind = type.getSimpleName();
        String name = app.getMetadata().getName();
        switch (outcome) {
            case CREATED -> notes.record(EventRecorder.NORMAL, "Created", "Created " + kind + " " + name);
            case UPDATED ->
                notes.record(EventRecorder.NORMAL, "Updated", "Updated " + kind + " " + name + " to the new spec");
            case REPAIRED ->
                notes.record(
                        EventRecorder.WARNING,
                        "DriftRepaired",
                        "Restored " + kind + " " + name + ", which was changed outside the operator");
            case UNCHANGED -> {}
        }
    }
}
