package dev.wasmorch.operator.reconcile.status;

import dev.wasmorch.operator.crd.NetworkMode;
import dev.wasmorch.operator.crd.WasmApp;
import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.crd.WasmAppStatus;
import java.util.List;

/** Computes a WasmApp's status from what one reconciliation saw. */
public final class StatusFactory {
    private StatusFactory() {}

    public static WasmAppStatus status(
            WasmApp app, WasmAppStatus previous, Problem problem, int readyReplicas, List<String> endpoints) {
        long generation = app.getMetadata().getGeneration() == null
                ? 0
                : app.getMetadata().getGeneration();
        WasmAppSpec spec = app.getSpec();
        int wanted = spec == null || spec.getReplicas() == null ? 0 : Math.max(0, spec.getReplicas());
        boolean host = spec != null && spec.getNetworkMode() == NetworkMode.HOST;
        boolean blocked = problem != null && !problem.retry();
        boolean rolledOut = readyReplicas >= wanted && (!host || endpoints.size() >= wanted);
        String progress = readyReplicas + " of " + wanted + " pods ready"
                + (host ? ", " + endpoints.size() + " with published ports" : "");

        Conditions conditions = new Conditions(previous.getConditions(), generation);
        if (problem != null) {
            conditions.set(Conditions.DEGRADED, true, problem.reason(), problem.message());
        } else {
            conditions.set(Conditions.DEGRADED, false, "AsExpected", "");
        }
        if (blocked) {
            conditions.set(Conditions.PROGRESSING, false, problem.reason(), "Waiting for the problem to be fixed");
        } else if (!rolledOut) {
            conditions.set(Conditions.PROGRESSING, true, "RollingOut", progress);
        } else {
            conditions.set(Conditions.PROGRESSING, false, "RolloutComplete", progress);
        }
        if (problem == null && rolledOut) {
            conditions.set(Conditions.READY, true, "AllReplicasReady", progress);
        } else {
            conditions.set(
                    Conditions.READY,
                    false,
                    problem != null ? problem.reason() : "RollingOut",
                    problem != null ? problem.message() : progress);
        }

        WasmAppStatus status = new WasmAppStatus();
        status.setObservedGeneration(generation);
        status.setReadyReplicas(readyReplicas);
        status.setConditions(conditions.list());
        status.setUrl(blocked ? null : url(app));
        status.setEndpoints(List.copyOf(endpoints));
        return status;
    }

    private static String url(WasmApp app) {
        WasmAppSpec spec = app.getSpec();
        if (Boolean.TRUE.equals(spec.getIngressEnabled())) {
            return (Boolean.TRUE.equals(spec.getIngressTlsEnabled()) ? "https://" : "http://") + spec.getIngressHost()
                    + "/";
        }
        return "http://" + app.getMetadata().getName() + "." + app.getMetadata().getNamespace() + ".svc:"
                + spec.getPort();
    }
}
