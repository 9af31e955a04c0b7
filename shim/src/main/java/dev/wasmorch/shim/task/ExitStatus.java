package dev.wasmorch.shim.task;

import java.time.Instant;

/** How and when a task ended: 0 for a normal end, non-zero for a failure or a forced kill. */
public record ExitStatus(int code, Instant at) {

    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    /**
     * The exit code of an app ended by {@code signal}. SIGTERM and SIGINT ask an app to stop, and a
     * WASM app always stops cleanly (requests in flight finish, its port is unregistered), so it
     * exits 0 as a process that handles them does: CRI then reports {@code Completed}, not
     * {@code Error}, for a pod's normal termination. Any other signal (the kubelet's SIGKILL after
     * the grace period) kills it: {@code 128 + signal}, as shells and runc report it.
     */
    static int afterSignal(int signal) {
        return signal == SIGTERM || signal == SIGINT ? 0 : 128 + signal;
    }
}
