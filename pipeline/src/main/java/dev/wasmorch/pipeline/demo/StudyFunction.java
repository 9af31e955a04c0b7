package dev.wasmorch.pipeline.demo;

import dev.wasmorch.pipeline.model.Runtime;

/**
 * The nine functions of the 2023 study. {@code factor} scales the instantiation time: larger
 * modules/images (whatlang's language tables, user-manager's database client) start a bit slower.
 */
enum StudyFunction {
    AES("aes", 1.00, "spin"),
    FLOAT_OPERATION("float-operation", 0.97, "wasmorch"),
    FUZZYSEARCH("fuzzysearch", 1.03, "spin"),
    LINEAR_EQUATIONS("linear-equations", 1.01, "wasmorch"),
    MATMUL("matmul", 1.02, "spin"),
    N_BODY("n-body", 0.99, "wasmorch"),
    PRIME_NUMBERS("prime-numbers", 0.96, "spin"),
    USER_MANAGER("user-manager", 1.07, "wasmorch"),
    WHATLANG("whatlang", 1.05, "spin");

    private final String label;
    private final double factor;
    private final String wasmRuntimeClass;

    StudyFunction(String label, double factor, String wasmRuntimeClass) {
        this.label = label;
        this.factor = factor;
        this.wasmRuntimeClass = wasmRuntimeClass;
    }

    String label() {
        return label;
    }

    double factor() {
        return factor;
    }

    /** The Deployment's name: OpenFaaS names it after the function, the WASM one has a suffix. */
    String deployment(Runtime runtime) {
        return runtime == Runtime.WASM ? label + "-wasm" : label;
    }

    /** The RuntimeClass (and CRI handler) the function's WASM deployment uses. */
    String wasmRuntimeClass() {
        return wasmRuntimeClass;
    }
}
