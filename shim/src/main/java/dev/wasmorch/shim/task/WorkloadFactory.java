package dev.wasmorch.shim.task;

/** Starts the workload of an app task (not a sandbox) at Start. */
public interface WorkloadFactory {
    Workload start(TaskSpec spec) throws WorkloadException;
}
