package dev.wasmorch.shim.daemon;

import dev.wasmorch.shim.app.AppException;
import dev.wasmorch.shim.app.AppRunner;
import dev.wasmorch.shim.app.AppSpec;
import dev.wasmorch.shim.app.AppStats;
import dev.wasmorch.shim.app.RunningApp;
import dev.wasmorch.shim.task.BundleConfig;
import dev.wasmorch.shim.task.TaskSpec;
import dev.wasmorch.shim.task.Workload;
import dev.wasmorch.shim.task.WorkloadException;
import dev.wasmorch.shim.task.WorkloadFactory;
import dev.wasmorch.shim.task.WorkloadStats;
import java.util.concurrent.CompletableFuture;

/** Starts app tasks with the WASM side's {@link AppRunner} (Spin manifest, WAGI on Chicory, Redis). */
final class WasmWorkloads implements WorkloadFactory {

    private final AppRunner runner;

    WasmWorkloads(AppRunner runner) {
        this.runner = runner;
    }

    @Override
    public Workload start(TaskSpec spec) throws WorkloadException {
        BundleConfig c = spec.config();
        AppSpec app = new AppSpec(
                spec.key().id(),
                spec.rootfs(),
                c.podNamespace(),
                c.podName(),
                c.containerName(),
                c.env(),
                spec.stdout(),
                spec.stderr());
        try {
            RunningApp running = runner.start(app);
            return new Workload() {
                @Override
                public CompletableFuture<Integer> exit() {
                    return running.exit();
                }

                @Override
                public void stop() {
                    running.close();
                }

                @Override
                public WorkloadStats stats() {
                    AppStats s = running.stats();
                    return new WorkloadStats(s.cpuNanos(), s.memoryBytes(), s.memoryLimitBytes(), s.memoryLimitHits());
                }

                @Override
                public void limitMemory(long bytes) throws WorkloadException {
                    try {
                        running.limitMemory(bytes);
                    } catch (AppException e) {
                        throw new WorkloadException(e.reason() + ": " + e.getMessage(), e);
                    }
                }
            };
        } catch (AppException e) {
            throw new WorkloadException(e.reason() + ": " + e.getMessage(), e);
        }
    }
}
