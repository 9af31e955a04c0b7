package dev.wasmorch.operator.reconcile.dependent;

import dev.wasmorch.operator.crd.Labels;
import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Metadata of a child: the app's labels and a controller owner reference, so deleting the app deletes it. */
final class OwnedMeta {
    private OwnedMeta() {}

    static ObjectMeta of(WasmApp app, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(app.getMetadata().getNamespace())
                .withLabels(Labels.of(app))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(app.getApiVersion())
                        .withKind(app.getKind())
                        .withName(app.getMetadata().getName())
                        .withUid(app.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .build();
    }
}
