package dev.wasmorch.operator.reconcile.validate;

import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.reconcile.status.Problem;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the RuntimeClass a spec names exists and runs WebAssembly: the app's pods get the
 * annotation {@code wasmorch.dev/runtime: wasm}, which the analyzer trusts, so a container handler
 * must not slip through (the schema cannot see RuntimeClasses).
 */
public final class RuntimeClassCheck {
    private final Set<String> wasmHandlers;

    /** @param wasmHandlers the handlers that run WebAssembly (--wasm-handlers) */
    public RuntimeClassCheck(Set<String> wasmHandlers) {
        this.wasmHandlers = Set.copyOf(wasmHandlers);
    }

    /** @param runtimeClass the RuntimeClass named by {@code spec.runtimeClass}, or null when none exists */
    public Optional<Problem> problem(WasmAppSpec spec, RuntimeClass runtimeClass) {
        if (runtimeClass == null) {
            return Optional.of(new Problem(
                    Problem.RUNTIME_CLASS_NOT_FOUND,
                    "RuntimeClass \"" + spec.getRuntimeClass()
                            + "\" named by spec.runtimeClass does not exist; create it or change the spec",
                    false));
        }
        if (!wasmHandlers.contains(runtimeClass.getHandler())) {
            return Optional.of(new Problem(
                    Problem.RUNTIME_CLASS_NOT_WASM,
                    "spec.runtimeClass: RuntimeClass \"" + spec.getRuntimeClass() + "\" has handler \""
                            + runtimeClass.getHandler() + "\", which is not a WebAssembly handler ("
                            + wasmHandlers.stream().sorted().collect(Collectors.joining(", "))
                            + "; operator flag --wasm-handlers); its pods would be counted as WASM",
                    false));
        }
        return Optional.empty();
    }
}
