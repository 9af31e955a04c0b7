package dev.wasmorch.operator.reconcile.validate;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.operator.crd.WasmAppSpec;
import java.util.Set;

/**
 * What one installation allows beyond the CRD schema.
 *
 * @param maxReplicas the most pods one WasmApp may ask for; the schema's {@link
 *     WasmAppSpec#MAX_REPLICAS} still applies on top
 * @param wasmHandlers RuntimeClass handlers that run WebAssembly. The operator annotates its pods
 *     {@code wasmorch.dev/runtime: wasm} and the analyzer believes that annotation first, so an app
 *     whose RuntimeClass has any other handler (runc, crun, kata...) would count container pods as
 *     WASM: such an app is refused.
 */
public record SpecPolicy(int maxReplicas, Set<String> wasmHandlers) {
    /** The pipeline analyzer's default WASM runtime classes and handlers, wasmorch's own first. */
    public static final Set<String> DEFAULT_WASM_HANDLERS = Set.of(PodLabels.WASM_RUNTIME_CLASSES.split(","));

    public static final SpecPolicy DEFAULTS = new SpecPolicy(WasmAppSpec.MAX_REPLICAS, DEFAULT_WASM_HANDLERS);

    public SpecPolicy {
        if (maxReplicas < 0) {
            throw new IllegalArgumentException("--max-replicas: must be 0 or more, got " + maxReplicas);
        }
        if (wasmHandlers.isEmpty() || wasmHandlers.stream().anyMatch(h -> h == null || h.isBlank())) {
            throw new IllegalArgumentException("--wasm-handlers: needs at least one handler name, and no empty one");
        }
        wasmHandlers = Set.copyOf(wasmHandlers);
    }
}
