package dev.wasmorch.operator.crd;

import dev.wasmorch.contract.wasmapp.WasmAppApi;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A WebAssembly function deployed as a Deployment, a Service and optionally an Ingress. The spec
 * accepts the fields of the 2023 study's {@code WasmApp} so its manifests apply with only the
 * apiVersion changed.
 */
@Group(WasmApp.GROUP)
@Version(WasmApp.VERSION)
@ShortNames("wasmapp")
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.networkMode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.readyReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Status",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Degraded\")].reason",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class WasmApp extends CustomResource<WasmAppSpec, WasmAppStatus> implements Namespaced {
    public static final String GROUP = WasmAppApi.GROUP;
    public static final String VERSION = WasmAppApi.VERSION;

    @Override
    protected WasmAppSpec initSpec() {
        return new WasmAppSpec();
    }

    @Override
    protected WasmAppStatus initStatus() {
        return new WasmAppStatus();
    }
}
