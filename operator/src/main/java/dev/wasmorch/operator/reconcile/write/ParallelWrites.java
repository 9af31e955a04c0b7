package dev.wasmorch.operator.reconcile.write;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a reconciliation's independent API writes (Deployment, Service, Ingress, EndpointSlices,
 * status) at the same time, so it waits for the slowest round trip instead of the sum of them. It
 * returns only when every write has finished, so nothing of one reconciliation is still in flight
 * when the next one starts.
 */
public final class ParallelWrites {
    private ParallelWrites() {}

    /**
     * Runs the first write on the calling thread and the others on the executor; rethrows the first
     * failure (in list order) with the others suppressed, after all have finished.
     */
    public static void run(ExecutorService executor, List<Runnable> writes) {
        if (writes.isEmpty()) {
            return;
        }
        List<Future<?>> others = new ArrayList<>();
        for (Runnable write : writes.subList(1, writes.size())) {
            others.add(executor.submit(write));
        }
        RuntimeException failure = null;
        try {
            writes.get(0).run();
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> other : others) {
            while (true) {
                try {
                    other.get();
                    break;
                } catch (InterruptedException e) {
                    // The other writes are already on the wire; wait for them, then restore the flag.
                    interrupted = true;
                } catch (ExecutionException e) {
                    RuntimeException cause =
                            e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
