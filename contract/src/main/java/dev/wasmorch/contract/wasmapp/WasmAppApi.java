package dev.wasmorch.contract.wasmapp;

/**
 * The {@code WasmApp} resource as clients other than the operator write and read it (the experiment's
 * kubernetes backend): its API names, the spec and status fields they use, and the labels the
 * operator puts on the app's pods. The operator's model and its generated CRD are held to these names
 * by its {@code DeployManifestsTest}.
 */
public final class WasmAppApi {

    public static final String GROUP = "wasmorch.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "WasmApp";
    public static final String PLURAL = "wasmapps";

    /** Spec fields (the names of the study's CRD). */
    public static final String OCI_IMAGE = "ociImage";

    public static final String OCI_IMAGE_TAG = "ociImageTag";
    public static final String RUNTIME_CLASS = "runtimeClass";
    public static final String NETWORK_MODE = "networkMode";
    public static final String PORT = "port";
    public static final String REPLICAS = "replicas";
    public static final String ENV = "env";

    /** Status field: {@code host:port} of every ready pod. */
    public static final String ENDPOINTS = "endpoints";

    /** The label key and value the operator marks its children and the app's pods with. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    public static final String OPERATOR = "wasmorch-operator";

    private WasmAppApi() {}
}
