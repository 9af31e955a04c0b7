package dev.wasmorch.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.RestOptions;
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
    void aBatchJobWhoseStagesEachRequestSlotsRunsToItsResult() throws Exception {
        // BATCH, as the analysis runs: the keyed stage asks for its slots only once the first
        // stage finished, so the slot pool and the resource manager serve two rounds of requests
        // without their batching delays.
        List<String> sums;
        try (JobCluster cluster = JobCluster.start(2)) {
            StreamExecutionEnvironment env = cluster.environment();
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            env.fromData(List.of("a", "b", "a", "c", "a", "b"))
                    .map(word -> Tuple2.of(word, 1L))
                    .returns(Types.TUPLE(Types.STRING, Types.LONG))
                    .keyBy(pair -> pair.f0)
                    .sum(1)
                    .map(new Recording())
                    .sinkTo(new DiscardingSink<>());
            sums = cluster.execute("batch-stages").getAccumulatorResult("sums");
        }
        assertThat(sums).containsExactlyInAnyOrder("a=3", "b=2", "c=1");
        assertNoClusterThreadsRemain();
    }

    @Test
    void theLocalClusterServesSlotRequestsAtOnceAndKeepsTheJobsSettings() {
        Configuration job = new Configuration();
        job.set(CoreOptions.DEFAULT_PARALLELISM, 3);

        Configuration local = JobCluster.localConfiguration(job);

        assertThat(local.get(JobManagerOptions.SLOT_REQUEST_MAX_INTERVAL)).isEqualTo(Duration.ZERO);
        assertThat(local.get(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY)).isEqualTo(Duration.ZERO);
        assertThat(local.get(RestOptions.BIND_PORT)).isEqualTo("0");
        assertThat(local.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(3);
        assertThat(job.contains(JobManagerOptions.SLOT_REQUEST_MAX_INTERVAL))
                .as("the job's own configuration is left as it was")
                .isFalse();
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

    /** Adds each key's sum to the accumulator {@code sums}, as {@code key=sum}. */
    private static final class Recording extends RichMapFunction<Tuple2<String, Long>, String> {
        private final ListAccumulator<String> sums = new ListAccumulator<>();

        @Override
        public void open(OpenContext context) {
            getRuntimeContext().addAccumulator("sums", sums);
        }

        @Override
        public String map(Tuple2<String, Long> sum) {
            String entry = sum.f0 + "=" + sum.f1;
            sums.add(entry);
            return entry;
        }
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
