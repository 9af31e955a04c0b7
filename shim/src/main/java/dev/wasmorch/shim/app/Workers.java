package dev.wasmorch.shim.app;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One app's request threads and the workers among them. A request thread reads and routes a request;
 * to run a module it must {@link #take()} one of the app's {@code workers}, first come first served,
 * waiting at most the app's queue limit. A request that gets none in time, or finds {@link #QUEUE}
 * requests already waiting, is refused (503) without running its module. So requests that hold every
 * worker (loops run until the request time limit) delay the others by at most the queue limit, and no
 * more than {@code workers} instances exist at once, which the per-instance memory cap relies on.
 *
 * <p>Waiting happens on the request's own thread rather than in an executor queue so that a refusal
 * is answered when the limit passes, not when a busy worker finally frees up.
 */
final class Workers {

    /** Requests that may wait for a worker; one more is refused at once. */
    static final int QUEUE = 256;
    /** Refusals come in floods: one line to the container's log per interval, with the count. */
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);

    private final AppConcurrency concurrency;
    private final Semaphore permits;
    private final ThreadPoolExecutor threads;
    /** Set while the listener's own thread runs a request because every request thread is taken. */
    private final ThreadLocal<Boolean> overflow = new ThreadLocal<>();

    private final Consumer<String> report;
    private final LongSupplier nanoTime;
    private final LongAdder refused = new LongAdder();
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong nextReport;

    /**
     * @param report   receives a line about refusals, at most once per {@link #REPORT_INTERVAL}
     * @param nanoTime the clock the report interval is measured on ({@link System#nanoTime()})
     */
    Workers(AppConcurrency concurrency, ThreadFactory threadFactory, Consumer<String> report, LongSupplier nanoTime) {
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency.workers(), true);
        this.report = report;
        this.nanoTime = nanoTime;
        this.nextReport = new AtomicLong(nanoTime.getAsLong());
        // No queue of its own: every request gets a thread, up to the workers plus those waiting for one.
        this.threads = new ThreadPoolExecutor(
                0,
                concurrency.workers() + QUEUE,
                30,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                threadFactory,
                (request, pool) -> runRefused(request, pool));
    }

    /** The executor for the app's HTTP server. */
    ExecutorService threads() {
        return threads;
    }

    int count() {
        return concurrency.workers();
    }

    /** Requests refused so far (503: no worker within the queue limit, or the queue full). */
    long refused() {
        return refused.sum();
    }

    /**
     * Takes a worker for the request on this thread, waiting at most the queue limit.
     *
     * @return empty when the request holds a worker now (give it back with {@link #release()}); else why
     *     it gets none, for the 503 answer
     */
    Optional<String> take() {
        if (Boolean.TRUE.equals(overflow.get())) {
            return refuse("the request queue is full (" + QUEUE + " requests wait for a worker)");
        }
        try {
            if (permits.tryAcquire(concurrency.queueTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            // close() interrupts the app's threads: the app is stopping, not overloaded
            Thread.currentThread().interrupt();
            return Optional.of("the app is stopping");
        }
        return refuse(String.format(
                Locale.ROOT,
                "no worker free within the queue limit of %d ms (%d workers, all busy)",
                concurrency.queueTimeout().toMillis(),
                concurrency.workers()));
    }

    void release() {
        permits.release();
    }

    /** Stops the request threads (interrupting running modules) and waits for them, at most {@code max}. */
    void shutdown(Duration max) throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(max.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Every request thread is taken: the listener's thread answers this request itself, which it can
     * do quickly because {@link #take()} refuses it at once instead of running the module there.
     */
    private void runRefused(Runnable request, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("the app is stopping");
        }
        overflow.set(Boolean.TRUE);
        try {
            request.run();
        } finally {
            overflow.remove();
        }
    }

    private Optional<String> refuse(String why) {
        refused.increment();
        unreported.incrementAndGet();
        long now = nanoTime.getAsLong();
        long due = nextReport.get();
        if (now - due >= 0 && nextReport.compareAndSet(due, now + REPORT_INTERVAL.toNanos())) {
            report.accept(String.format(
                    Locale.ROOT,
                    "%d request(s) answered 503 since the last report (%d in total; reported at most every %d s): %s",
                    unreported.getAndSet(0),
                    refused.sum(),
                    REPORT_INTERVAL.toSeconds(),
                    why));
        }
        return Optional.of(why);
    }
}
