package dev.wasmorch.shim.task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * A pod's own network namespace (the one CRI gives its sandbox), which the daemon's threads enter
 * with setns(2) through the shim's native library: a socket belongs to the namespace of the thread
 * that creates it, so an app's listener made on such a thread listens at the pod's address while
 * the daemon itself stays on the node's network. Only the entering thread moves.
 */
public final class NetworkNamespace {

    private final String path;

    public NetworkNamespace(String path) {
        this.path = path;
    }

    /** The namespace file, e.g. CRI's {@code .../netns/cni-<uuid>}. */
    public String path() {
        return path;
    }

    /**
     * Runs {@code action} on a new thread inside the namespace and returns its result. The thread
     * ends with the action, so no thread of the daemon is left in a pod's namespace.
     *
     * @throws IOException if the namespace cannot be entered (named with the reason), or as the action threw it
     */
    public <T> T call(IoAction<T> action) throws IOException {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        enter();
                        result.complete(action.run());
                    } catch (IOException | RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                },
                "netns-" + path);
        t.setDaemon(true);
        t.start();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while working in the network namespace " + path, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e.getCause();
        }
    }

    /** Threads of {@code base} that enter the namespace before they run anything. */
    public ThreadFactory threads(ThreadFactory base) {
        return r -> base.newThread(() -> {
            try {
                enter();
            } catch (IOException e) {
                // a thread that would create its sockets on the node's network must run nothing
                throw new UncheckedIOException(e);
            }
            r.run();
        });
    }

    /** Moves the calling thread into the namespace. */
    private void enter() throws IOException {
        try {
            MountSyscalls.requireLoaded();
        } catch (BundleException e) {
            throw new IOException(e.getMessage(), e);
        }
        int err = setns0(path);
        if (err != 0) {
            throw new IOException("cannot enter the network namespace " + path + ": " + MountSyscalls.describe(err));
        }
    }

    /** Work done inside the namespace. */
    @FunctionalInterface
    public interface IoAction<T> {
        T run() throws IOException;
    }

    private static native int setns0(String path);
}
