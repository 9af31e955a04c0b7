package dev.wasmorch.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/** The early-started local MiniCluster: it runs the job it is given and leaves no cluster behind. */
class JobClusterTest {

    @Test
    void runsTheJobBuiltOnItsEnvironmentAndStopsAfterIt() throws Exception {
        long seen;
        try (JobCluster cluster = JobCluster.start(2)) {
            StreamExecutionEnvironment env = cluster.environment();
            env.fromData(List.of(1L, 2L, 3L, 4L, 5L)).map(new Counting()).sinkTo(new DiscardingSink<>());
            seen = cluster.execute("job-cluster-test").<Long>getAccumulatorResult("seen");
            assertThat(clusterThreads())
                    .as("the check below sees a running cluster")
                    .isNotEmpty();
        }
        assertThat(seen).isEqualTo(5);
        assertNoClusterThreadsRemain();
    }

    @Test
    void aFailingJobsErrorReachesTheCaller() throws Exception {
        try (JobCluster cluster = JobCluster.start(1)) {
            cluster.environment()
                    .fromData(List.of(1L))
                    .map(v -> {
                        if (v == 1L) {
                            throw new IllegalStateException("refused record 1");
                        }
                        return v;
                    })
                    .sinkTo(new DiscardingSink<>());
            assertThatThrownBy(() -> cluster.execute("failing"))
                    .satisfies(e -> assertThat(rootCause(e).getMessage()).isEqualTo("refused record 1"));
        }
        assertNoClusterThreadsRemain();
    }

    @Test
    void aClusterThatRanNoJobIsStoppedWhenClosed() throws Exception {
        // An input that fails its check ends the command before any job; the cluster started for it must go.
        JobCluster.start(1).close();
        assertNoClusterThreadsRemain();
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }

    /** Pekko's and the MiniCluster's threads end shortly after its stop completes; bounded wait. */
    private static void assertNoClusterThreadsRemain() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        List<String> left = clusterThreads();
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            left = clusterThreads();
        }
        assertThat(left).as("threads of a stopped MiniCluster").isEmpty();
    }

    private static List<String> clusterThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("flink-pekko")
                        || n.startsWith("mini-cluster")
                        || n.startsWith("minicluster-start"))
                .toList();
    }

    private static final class Counting extends RichMapFunction<Long, Long> {
        private final LongCounter seen = new LongCounter();

        @Override
        public void open(OpenContext context) {
            getRuntimeContext().addAccumulator("seen", seen);
        }

        @Override
        public Long map(Long value) {
            seen.add(1);
            return value;
        }
    }
}
