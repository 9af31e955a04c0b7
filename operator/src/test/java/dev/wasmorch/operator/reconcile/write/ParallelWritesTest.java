package dev.wasmorch.operator.reconcile.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelWritesTest {
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Each write waits for the others to have started: only possible if they run at the same time. */
    @Test
    void runsTheWritesAtTheSameTime() {
        CountDownLatch allStarted = new CountDownLatch(3);
        AtomicBoolean[] sawOthers = {new AtomicBoolean(), new AtomicBoolean(), new AtomicBoolean()};
        Runnable[] writes = new Runnable[3];
        for (int i = 0; i < 3; i++) {
            int index = i;
            writes[i] = () -> {
                allStarted.countDown();
                try {
                    sawOthers[index].set(allStarted.await(5, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        }
        ParallelWrites.run(executor, List.of(writes));
        assertThat(sawOthers).allSatisfy(saw -> assertThat(saw).isTrue());
    }

    @Test
    void waitsForAllThenRethrowsTheFirstFailureWithTheOthersSuppressed() {
        AtomicBoolean slowFinished = new AtomicBoolean();
        IllegalStateException first = new IllegalStateException("Deployment refused");
        Runnable failsAtOnce = () -> {
            throw first;
        };
        Runnable failsLater = () -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowFinished.set(true);
            throw new IllegalArgumentException("Service refused");
        };
        assertThatThrownBy(() -> ParallelWrites.run(executor, List.of(failsAtOnce, failsLater)))
                .isSameAs(first)
                .satisfies(e -> assertThat(e.getSuppressed())
                        .extracting(Throwable::getMessage)
                        .containsExactly("Service refused"));
        assertThat(slowFinished).isTrue();
    }
}
