package dev.wasmorch.contract.pod;

/**
 * The {@code wasmorch.dev/*} labels and annotations on pods: the operator sets them, the analyzer
 * classifies by them (the runtime annotation first), the shim reads the ones that change its work.
 */
public final class PodLabels {

    /** Everything under this prefix is the product's; users' extra annotations may not use it. */
    public static final String RESERVED_PREFIX = "wasmorch.dev/";

    /** Label: the study function a pod runs ({@code aes}, {@code matmul}, ...). */
    public static final String FUNCTION = "wasmorch.dev/function";

    /** Label: the experiment scenario ({@code instantiation}, {@code serial}, {@code concurrent}). */
    public static final String SCENARIO = "wasmorch.dev/scenario";

    /** Annotation: {@value #WASM} or {@value #CONTAINER}; the analyzer trusts it before anything else. */
    public static final String RUNTIME = "wasmorch.dev/runtime";

    public static final String WASM = "wasm";
    public static final String CONTAINER = "container";

    /** Annotation: {@code "true"} lets the function make outbound HTTP requests. */
    public static final String OUTBOUND_HTTP = "wasmorch.dev/outbound-http";

    /**
     * The runtime classes (and CRI handlers) that mean WASM unless configured otherwise: wasmorch's own
     * first, then the other WASM shims. Comma-separated, so command-line defaults can use it.
     */
    public static final String WASM_RUNTIME_CLASSES = "wasmorch,spin,wasmtime,wasmedge,wasmer,slight,wws,lunatic";

    private PodLabels() {}

    /**
     * The container environment variable naming the TCP port a WASM app listens on in its pod's own
     * network namespace (network mode {@code pod}); the operator sets it from the WasmApp's port.
     * CRI passes no container ports to the runtime, so the port travels in the environment.
     */
    public static final String LISTEN_PORT_ENV = "WASMORCH_LISTEN_PORT";

    /** The port a pod-network app listens on when {@link #LISTEN_PORT_ENV} is not set. */
    public static final int DEFAULT_LISTEN_PORT = 8080;
}
