package dev.wasmorch.pipeline.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Where the batch job runs: the cluster of {@code flink run}, or a local MiniCluster that this
 * process starts while it still checks its inputs.
 *
 * <p>Why not {@code env.execute()} locally: that starts its MiniCluster only once the graph is
 * built, after the input checks, and stops it before returning. Starting one costs about as much
 * as checking a pod snapshot of a few thousand pods, and each takes one core, so on a small machine
 * the two overlap (docs/benchmarks.md "Whole run (issue 15 §1)"). The job is the same graph either
 * way; the MiniCluster gets the configuration Flink's own local executor gives it (one
 * TaskManager, a REST port chosen by the OS), with more slots, slot requests served without
 * Flink's batching delays ({@link #localConfiguration}) and a REST endpoint that serves nothing
 * ({@link HeadlessMiniCluster}). No job is submitted
 * before the inputs passed their checks, so a bad input still ends the run before any output.
 */
final class JobCluster implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * More slots than the job's parallelism: in BATCH mode the one-subtask tasks (the pod snapshot's
     * source, each result file's writer) then start beside the readers instead of waiting for one of
     * their slots; the demo analysis ran 0.1 s faster with three per unit than with one.
     */
    private static final int SLOTS_PER_PARALLELISM = 3;

    private final StreamExecutionEnvironment env;
    private final CompletableFuture<MiniCluster> local;
    /** Set once a job ran: the cluster's stop, begun when the job ended. */
    private CompletableFuture<Void> stopped;

    private JobCluster(StreamExecutionEnvironment env, CompletableFuture<MiniCluster> local) {
        this.env = env;
        this.local = local;
    }

    /** The environment of {@code flink run} when there is one; else starts a MiniCluster in the background. */
    static JobCluster start(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (!(env instanceof LocalStreamEnvironment)) {
            return new JobCluster(env, null);
        }
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(localConfiguration(conf))
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(SLOTS_PER_PARALLELISM * parallelism)
                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                .build();
        return new JobCluster(
                env,
                CompletableFuture.supplyAsync(() -> started(new HeadlessMiniCluster(config)), JobCluster::startThread));
    }

    /**
     * The local cluster's configuration: the job's, a REST port the OS picks, and slot requests
     * served at once. Flink batches slot requests on both sides, for up to 20 ms in the job's slot
     * pool ({@code slot.request.max-interval}) and 50 ms in the resource manager
     * ({@code slotmanager.requirement-check.delay}), to fold many jobs' changing needs into one
     * check; this cluster runs one job, and the wait was on the path of every analysis: the first
     * slots were allocated 81 ms after scheduling began, 14 ms without it, and the demo analysis
     * took about 65 ms less (docs/benchmarks.md, "pipeline: batch job", ninth session).
     */
    static Configuration localConfiguration(Configuration job) {
        Configuration conf = new Configuration(job);
        if (!conf.contains(RestOptions.BIND_PORT)) {
            conf.set(RestOptions.BIND_PORT, "0");
        }
        conf.set(JobManagerOptions.SLOT_REQUEST_MAX_INTERVAL, Duration.ZERO);
        conf.set(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY, Duration.ZERO);
        return conf;
    }

    /** A thread of its own: the common pool has a single thread on two cores, which tasks may need. */
    private static void startThread(Runnable start) {
        Thread thread = new Thread(start, "minicluster-start");
        thread.setDaemon(true);
        thread.start();
    }

    private static MiniCluster started(MiniCluster cluster) {
        try {
            cluster.start();
            return cluster;
        } catch (Exception e) {
            throw new IllegalStateException("the local Flink MiniCluster did not start: " + e.getMessage(), e);
        }
    }

    /** The environment to build the job on. */
    StreamExecutionEnvironment environment() {
        return env;
    }

    /**
     * Runs the job built on {@link #environment()} and waits for its end. A local cluster starts
     * stopping as soon as the job ended, while the caller writes its report.
     */
    JobExecutionResult execute(String jobName) throws Exception {
        if (local == null) {
            return env.execute(jobName);
        }
        MiniCluster cluster = unwrap(local);
        try {
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName(jobName);
            graph.serializeUserDefinedInstances();
            JobID job = unwrap(cluster.submitJob(graph)).getJobID();
            return unwrap(cluster.requestJobResult(job))
                    .toJobExecutionResult(getClass().getClassLoader());
        } finally {
            stopped = cluster.closeAsync();
        }
    }

    /** Waits for a local cluster's stop; stops one that no job used (an input failed its check). */
    @Override
    public void close() throws InterruptedException, ExecutionException, TimeoutException {
        if (local == null) {
            return;
        }
        if (stopped == null) {
            // Nothing ran on it, so a cluster that failed to start or to stop leaves nothing behind.
            local.thenCompose(MiniCluster::closeAsync)
                    .exceptionally(e -> null)
                    .get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        stopped.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static <T> T unwrap(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
