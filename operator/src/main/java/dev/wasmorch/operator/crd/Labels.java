package dev.wasmorch.operator.crd;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.contract.wasmapp.WasmAppApi;
import java.util.LinkedHashMap;
import java.util.Map;

/** Label and annotation keys the operator writes; the pod ones are the contract's, which the analyzer reads. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String MANAGED_BY = WasmAppApi.MANAGED_BY;
    public static final String MANAGER = WasmAppApi.OPERATOR;
    /** Selects what the operator manages: the children and the pods. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;
    /** The analyzer takes the function name from this pod label. */
    public static final String FUNCTION = PodLabels.FUNCTION;
    /** The analyzer classifies a pod as WASM by this annotation. */
    public static final String RUNTIME_ANNOTATION = PodLabels.RUNTIME;

    public static final String OUTBOUND_HTTP_ANNOTATION = PodLabels.OUTBOUND_HTTP;

    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    public static final String SLICE_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String SLICE_MANAGER = "wasmorch-operator";

    private Labels() {}

    /** Labels on every child and on the pods. */
    public static Map<String, String> of(WasmApp app) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, app.getMetadata().getName());
        labels.put(MANAGED_BY, MANAGER);
        labels.put(FUNCTION, app.getMetadata().getName());
        return labels;
    }

    /** The Deployment's selector (immutable once created, so it holds only stable keys). */
    public static Map<String, String> selector(WasmApp app) {
        return Map.of(FUNCTION, app.getMetadata().getName(), MANAGED_BY, MANAGER);
    }
}
