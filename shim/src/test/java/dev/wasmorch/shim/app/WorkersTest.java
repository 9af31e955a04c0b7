package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkersTest {

    final List<String> reports = new CopyOnWriteArrayList<>();
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    Workers workers;

    @AfterEach
    void tearDown() throws InterruptedException {
        workers.shutdown(Duration.ofSeconds(10));
    }

    @Test
    void refusalsAreCountedEachAndReportedAtMostOncePerInterval() {
        workers = new Workers(new AppConcurrency(1, Duration.ofMillis(1)), Thread::new, reports::add, now::get);
        assertThat(workers.take()).as("the only worker is free").isEmpty();
        String why = "no worker free within the queue limit of 1 ms (1 workers, all busy)";

        assertThat(workers.take()).contains(why);
        assertThat(reports)
                .containsExactly("1 request(s) answered 503 since the last report (1 in total; "
                        + "reported at most every 10 s): " + why);
        for (int i = 0; i < 3; i++) {
            now.addAndGet(Duration.ofSeconds(3).toNanos());
            assertThat(workers.take()).contains(why);
        }
        assertThat(reports).as("9 s later: still one line").hasSize(1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(workers.take()).contains(why);
        assertThat(reports)
                .hasSize(2)
                .last()
                .isEqualTo("4 request(s) answered 503 since the last report (5 in total; "
                        + "reported at most every 10 s): " + why);
        assertThat(workers.refused()).isEqualTo(5);

        workers.release();
        assertThat(workers.take()).as("a released worker is taken again").isEmpty();
        assertThat(workers.refused()).isEqualTo(5);
    }

    @Test
    void aWaitingRequestGetsTheWorkerReleasedWithinTheLimit() throws Exception {
        workers = new Workers(new AppConcurrency(1, Duration.ofSeconds(30)), Thread::new, reports::add, now::get);
        assertThat(workers.take()).isEmpty();
        CompletableFuture<Optional<String>> waiting = CompletableFuture.supplyAsync(workers::take);
        Thread.sleep(50);
        workers.release();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(workers.refused()).isZero();
    }

    @Test
    void whenEveryRequestThreadIsTakenTheNextRequestIsRefusedAtOnceOnTheCallersThread() throws Exception {
        workers = new Workers(new AppConcurrency(1, Duration.ofSeconds(30)), Thread::new, reports::add, now::get);
        CountDownLatch hold = new CountDownLatch(1);
        int threads = 1 + Workers.QUEUE;
        CountDownLatch running = new CountDownLatch(threads);
        try {
            for (int i = 0; i < threads; i++) {
                workers.threads().execute(() -> {
                    running.countDown();
                    try {
                        hold.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Optional<String>> answer = new AtomicReference<>();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            long t0 = System.nanoTime();
            workers.threads().execute(() -> {
                ranOn.set(Thread.currentThread());
                answer.set(workers.take());
            });
            assertThat(ranOn.get()).isSameAs(Thread.currentThread());
            assertThat(answer.get()).contains("the request queue is full (256 requests wait for a worker)");
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("refused without waiting the 30 s queue limit")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(workers.refused()).isEqualTo(1);
        } finally {
            hold.countDown();
        }
    }
}
