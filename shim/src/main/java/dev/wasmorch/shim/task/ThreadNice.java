package dev.wasmorch.shim.task;

/**
 * The calling thread's nice value, through the shim's native library: on Linux a nice value belongs
 * to a thread (setpriority(2) with its thread id), and HotSpot ignores {@link Thread#setPriority}
 * unless started with {@code -XX:ThreadPriorityPolicy=1}. The daemon's background warm-up runs at
 * the lowest, so a pod that arrives while a warm-up round is still running gets the CPU first.
 */
public final class ThreadNice {

    /** The lowest priority: the scheduler gives such a thread about 1.5 % of a core it shares with nice 0. */
    static final int LOWEST = 19;

    private ThreadNice() {}

    /** @return {@code null}, or why the calling thread keeps its priority */
    public static String lowerThisThread() {
        try {
            MountSyscalls.requireLoaded();
        } catch (BundleException e) {
            return e.getMessage();
        }
        int err = nice0(LOWEST);
        return err == 0 ? null : "setpriority(2) to nice " + LOWEST + ": " + MountSyscalls.describe(err);
    }

    private static native int nice0(int nice);
}
