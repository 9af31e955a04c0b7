package dev.wasmorch.shim.task;

/** Starts the workload of an app task (not a sandbox) at Start. */
public interface WorkloadFactory {
    Workload start(TaskSpec spec) throws WorkloadException;

    /**
     * A task (a pod's sandbox or an app) is being created: work the factory does in the background
     * for later tasks (the daemon's warm-up) gives way from now on. Called before the task's Create
     * does anything else.
     */
    default void taskArriving() {}
}
