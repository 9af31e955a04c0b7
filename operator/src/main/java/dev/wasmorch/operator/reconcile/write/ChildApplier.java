package dev.wasmorch.operator.reconcile.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.operator.crd.WasmApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Creates a child or brings it back to its desired form. A child is rewritten when the spec changed
 * (its desired-hash annotation differs, which also removes fields the spec no longer sets) or when
 * someone edited a value the operator owns (drift). Written objects are fed to the informer cache
 * so the next reconciliation does not act on a stale copy.
 *
 * <p>Why not server-side apply, which Kubernetes recommends to controllers and which Java Operator
 * SDK's KubernetesDependentResource uses by default: the tests run the operator against fabric8's
 * mock API server in CRUD mode, and that server has no server-side apply. So the writes are plain
 * create and replace, the replace carrying the resourceVersion that was read, so that a concurrent
 * change fails and is retried instead of being overwritten. What SSA's field ownership would
 * decide is decided here: the desired-hash annotation tells a spec change (the whole object is
 * replaced, so fields the spec no longer sets go) from defaults the server added, and {@link
 * SubsetMatcher} tells drift. Create and replace are ordinary API calls, so the same code runs
 * unchanged on a real cluster.
 */
public final class ChildApplier {
    /** What {@link #apply} did, for events and status. */
    public enum Outcome {
        CREATED,
        UPDATED,
        REPAIRED,
        UNCHANGED
    }

    /** Hash of the desired child; a change means the spec changed and the child is rewritten. */
    static final String DESIRED_HASH_ANNOTATION = PodLabels.RESERVED_PREFIX + "desired-hash";

    private final KubernetesClient client;

    public ChildApplier(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param cache the informer of the child's kind, told of the write
     * @param keepAllocated copies from the actual object into the replacement what the API server
     *     allocated and never lets a client unset
     */
    public <T extends HasMetadata> Outcome apply(
            WasmApp app, T desired, T actual, InformerEventSource<T, WasmApp> cache, BiConsumer<T, T> keepAllocated) {
        String hash = hash(desired);
        desired.getMetadata().getAnnotations().put(DESIRED_HASH_ANNOTATION, hash);
        ResourceID primary = ResourceID.fromResource(app);
        if (actual == null) {
            T created = client.resource(desired).create();
            cache.handleRecentResourceCreate(primary, created);
            return Outcome.CREATED;
        }
        boolean specChanged = !hash.equals(actual.getMetadata().getAnnotations().get(DESIRED_HASH_ANNOTATION));
        if (!specChanged && SubsetMatcher.contains(comparable(actual), comparable(desired))) {
            return Outcome.UNCHANGED;
        }
        T replacement = mergeMetadata(desired, actual);
        keepAllocated.accept(replacement, actual);
        T updated = client.resource(replacement).update();
        cache.handleRecentResourceUpdate(primary, updated, actual);
        return specChanged ? Outcome.UPDATED : Outcome.REPAIRED;
    }

    public void delete(HasMetadata actual) {
        client.resource(actual).delete();
    }

    /**
     * The desired object carrying the actual one's resourceVersion (optimistic locking), and the
     * labels and annotations others added (e.g. the Deployment controller's revision).
     */
    private static <T extends HasMetadata> T mergeMetadata(T desired, T actual) {
        desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
        desired.getMetadata()
                .setLabels(union(
                        actual.getMetadata().getLabels(), desired.getMetadata().getLabels()));
        desired.getMetadata()
                .setAnnotations(union(
                        actual.getMetadata().getAnnotations(),
                        desired.getMetadata().getAnnotations()));
        return desired;
    }

    private static Map<String, String> union(Map<String, String> base, Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(base == null ? Map.of() : base);
        merged.putAll(overrides);
        return merged;
    }

    /** The object without the server-managed metadata, which never matches and is not ours. */
    private static JsonNode comparable(HasMetadata resource) {
        ObjectNode tree = Serialization.jsonMapper().valueToTree(resource);
        ObjectNode metadata = (ObjectNode) tree.get("metadata");
        metadata.retain("name", "namespace", "labels", "annotations", "ownerReferences");
        tree.remove("status");
        return tree;
    }

    static String hash(HasMetadata desired) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
